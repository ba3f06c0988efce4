import { positiveInt, withDefault, type Parsed } from './vars';

// The console websockets (lib/ws/): how many one user and the whole portal may hold open, the largest frame either
// side may send, and how much the proxy buffers towards a slow side before it stops reading from the other.

export const consoleVars = {
  PORTAL_MAX_CONSOLES_PER_USER: withDefault(positiveInt, '8'),
  PORTAL_MAX_CONSOLES: withDefault(positiveInt, '256'),
  PORTAL_CONSOLE_MAX_FRAME_BYTES: withDefault(positiveInt, String(1024 * 1024)),
  PORTAL_CONSOLE_BUFFER_BYTES: withDefault(positiveInt, String(1024 * 1024)),
};

export interface ConsoleSettings {
  perUser: number; // open console sockets (serial and VNC together) of one user
  total: number; // open console sockets of the whole portal process
  maxFrameBytes: number; // maxPayload of both websockets: a larger frame closes the connection (1009)
  bufferBytes: number; // high-water mark of unsent bytes towards one side; reading resumes below a quarter of it
}

export function consoleSettings(v: Parsed<typeof consoleVars>): ConsoleSettings {
  return {
    perUser: v.PORTAL_MAX_CONSOLES_PER_USER,
    total: v.PORTAL_MAX_CONSOLES,
    maxFrameBytes: v.PORTAL_CONSOLE_MAX_FRAME_BYTES,
    bufferBytes: v.PORTAL_CONSOLE_BUFFER_BYTES,
  };
}
