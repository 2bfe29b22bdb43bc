import 'react';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      /** Inside a customisable select's button: the browser copies the chosen option's content here. */
      selectedcontent: React.DetailedHTMLProps<React.HTMLAttributes<HTMLElement>, HTMLElement>;
    }
  }
}
