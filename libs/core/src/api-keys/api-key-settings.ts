/** The key given in the environment (ADMIN_API_KEY), if any: accepted with every scope, never stored. */
export class ApiKeySettings {
  constructor(readonly environmentKey?: string) {}
}
