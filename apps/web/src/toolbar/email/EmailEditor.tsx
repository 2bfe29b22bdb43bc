import { Stack, Text } from '@mantine/core';
import { RichTextEditor } from '@mantine/tiptap';
import Link from '@tiptap/extension-link';
import { useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, useId, useRef } from 'react';

export interface EmailEditorProps {
  /** The body when the composer opens, and whenever `version` goes up. */
  html: string;
  /** Goes up when the body is replaced from outside (a template, Reply all). */
  version: number;
  onChange: (html: string) => void;
  onBlur: () => void;
}

/** The email's "Body": rich text with the usual formatting and links, as HTML for the draft. */
export function EmailEditor({ html, version, onChange, onBlur }: EmailEditorProps) {
  const labelId = useId();
  const handlers = useRef({ onChange, onBlur });
  handlers.current = { onChange, onBlur };
  const editor = useEditor({
    extensions: [
      StarterKit.configure({ link: false }),
      Link.configure({ openOnClick: false, protocols: ['mailto'], defaultProtocol: 'https' }),
    ],
    content: html,
    immediatelyRender: true,
    shouldRerenderOnTransaction: false,
    editorProps: {
      attributes: {
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-labelledby': labelId,
      },
    },
    onUpdate: ({ editor: current }) => handlers.current.onChange(current.getHTML()),
    onBlur: () => handlers.current.onBlur(),
  });

  // Replaced from outside: the editor shows the new body without telling it back as typing.
  const shownVersion = useRef(version);
  useEffect(() => {
    if (!editor || shownVersion.current === version) return;
    shownVersion.current = version;
    editor.commands.setContent(html, { emitUpdate: false });
  }, [editor, html, version]);

  return (
    <Stack gap={4}>
      <Text id={labelId} size="sm" fw={500}>
        Body
      </Text>
      <RichTextEditor editor={editor} labels={{ linkEditorInputLabel: 'Link address' }}>
        <RichTextEditor.Toolbar>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Bold />
            <RichTextEditor.Italic />
            <RichTextEditor.Underline />
            <RichTextEditor.Strikethrough />
            <RichTextEditor.ClearFormatting />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.BulletList />
            <RichTextEditor.OrderedList />
            <RichTextEditor.Blockquote />
          </RichTextEditor.ControlsGroup>
          <RichTextEditor.ControlsGroup>
            <RichTextEditor.Link />
            <RichTextEditor.Unlink />
          </RichTextEditor.ControlsGroup>
        </RichTextEditor.Toolbar>
        <RichTextEditor.Content mih={180} />
      </RichTextEditor>
    </Stack>
  );
}
