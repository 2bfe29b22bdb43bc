import type { WorkflowDefinition, WorkflowNode } from '@parley/contract';

export interface WorkflowProblem {
  path: string;
  message: string;
}

/** The nodes a node can go to, with the path of the field naming each. */
export function exits(node: WorkflowNode): [string, string][] {
  switch (node.type) {
    case 'play':
    case 'collect':
    case 'setData':
      return [['next', node.next]];
    case 'menu':
      return [
        ...Object.entries(node.choices).map(([d, id]): [string, string] => [`choices/${d}`, id]),
        ['otherwise', node.otherwise],
      ];
    case 'hours':
      return [
        ['open', node.open],
        ['closed', node.closed],
      ];
    case 'transfer':
      return [['failed', node.failed]];
    case 'queue':
    case 'hangup':
      return [];
  }
}

/** Nodes that wait for the caller: a loop through one of them is a menu asking again, not a spin. */
const takesInput = (node: WorkflowNode) => node.type === 'menu' || node.type === 'collect';

/**
 * Checks a workflow beyond its shape: the start and every exit name a node, every node can be
 * reached, each path ends (queue or hang-up) or waits for the caller, and no loop runs without
 * input. `known` checks references outside the workflow (prompts, campaigns, time zones).
 */
export function validateWorkflow(
  def: WorkflowDefinition,
  known: {
    prompt(name: string): boolean;
    campaign(id: string): boolean;
  },
): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  const nodes = def.nodes;
  if (!(def.start in nodes)) problems.push({ path: '/start', message: `no node "${def.start}"` });
  for (const [id, node] of Object.entries(nodes)) {
    const at = `/nodes/${id}`;
    for (const [field, target] of exits(node))
      if (!(target in nodes)) problems.push({ path: `${at}/${field}`, message: `no node "${target}"` });
    for (const field of ['prompt', 'invalidPrompt', 'noInputPrompt'] as const) {
      const prompt = (node as Partial<Record<typeof field, string>>)[field];
      if (prompt !== undefined && !known.prompt(prompt))
        problems.push({ path: `${at}/${field}`, message: `no prompt "${prompt}"` });
    }
    if (node.type === 'queue' && !known.campaign(node.campaignId))
      problems.push({ path: `${at}/campaignId`, message: 'not an inbound voice campaign of this workspace' });
    if (node.type === 'hours') {
      try {
        new Intl.DateTimeFormat('en', { timeZone: node.timeZone });
      } catch {
        problems.push({ path: `${at}/timeZone`, message: `unknown time zone "${node.timeZone}"` });
      }
      node.windows.forEach((w, i) => {
        if (w.from >= w.to)
          problems.push({ path: `${at}/windows/${i}`, message: '"from" must be before "to"' });
      });
    }
    if (node.type === 'collect' && node.terminator !== undefined && node.maxDigits < 1)
      problems.push({ path: `${at}/maxDigits`, message: 'must be at least 1' });
  }
  if (problems.length) return problems;

  // Reachability from the start.
  const reached = new Set<string>();
  const stack = [def.start];
  while (stack.length) {
    const id = stack.pop() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    for (const [, next] of exits(nodes[id] as WorkflowNode)) stack.push(next);
  }
  for (const id of Object.keys(nodes))
    if (!reached.has(id))
      problems.push({ path: `/nodes/${id}`, message: 'cannot be reached from the start' });

  // A cycle among nodes that take no input would run for ever without the caller doing anything.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string, trail: string[]): void => {
    state.set(id, 'open');
    for (const [, next] of exits(nodes[id] as WorkflowNode)) {
      const target = nodes[next] as WorkflowNode;
      if (takesInput(target)) continue;
      if (state.get(next) === 'open') {
        const loop = [...trail.slice(trail.indexOf(next)), id, next];
        problems.push({ path: `/nodes/${next}`, message: `loops without input: ${loop.join(' → ')}` });
      } else if (!state.has(next)) visit(next, [...trail, id]);
    }
    state.set(id, 'done');
  };
  for (const id of Object.keys(nodes))
    if (!state.has(id) && !takesInput(nodes[id] as WorkflowNode)) visit(id, []);
  return problems;
}
