export interface MetricsConfig {
  /** Serve GET /metrics on its own listener (METRICS_ENABLED). */
  enabled: boolean;
  /** That listener's port (METRICS_PORT); 0 lets the system choose one, which the startup log names. */
  port: number;
  /** The address it binds: HOST. */
  host: string;
}

export const METRICS_CONFIG = Symbol('METRICS_CONFIG');
