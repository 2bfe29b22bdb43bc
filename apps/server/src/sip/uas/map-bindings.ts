import type { Binding, BindingStore } from './registrar.js';

/** Bindings in a map: what the registrar does with them, without the extensions' table (tests). */
export class MapBindings implements BindingStore {
  readonly map = new Map<string, Binding>();

  async put(username: string, binding: Binding | undefined): Promise<void> {
    if (binding) this.map.set(username, binding);
    else this.map.delete(username);
  }

  async get(username: string): Promise<Binding | undefined> {
    return this.map.get(username);
  }

  async find(workspaceId: string, extension: string): Promise<Binding | undefined> {
    return [...this.map.values()].find((b) => b.workspaceId === workspaceId && b.extension === extension);
  }
}
