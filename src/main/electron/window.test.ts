import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../security/content-security-policy';

type Listener = (...args: unknown[]) => unknown;

const RENDERER_FILE = '/app/out/renderer/index.html';

const h = vi.hoisted(() => {
  class FakeWebContents {
    readonly listeners = new Map<string, Listener>();
    /** Every `on` call, to catch a rule attached twice (a blocked event would be logged twice). */
    readonly registrations: string[] = [];
    windowOpenHandler: Listener | undefined;
    windowOpenHandlerCalls = 0;
    readonly session = {
      permissionRequest: undefined as Listener | undefined,
      permissionCheck: undefined as Listener | undefined,
      headersReceived: undefined as Listener | undefined,
      setPermissionRequestHandler: (fn: Listener) => {
        this.session.permissionRequest = fn;
      },
      setPermissionCheckHandler: (fn: Listener) => {
        this.session.permissionCheck = fn;
      },
      webRequest: {
        onHeadersReceived: (fn: Listener) => {
          this.session.headersReceived = fn;
        },
      },
    };
    on(event: string, fn: Listener) {
      this.listeners.set(event, fn);
      this.registrations.push(event);
      return this;
    }
    setWindowOpenHandler(fn: Listener) {
      this.windowOpenHandler = fn;
      this.windowOpenHandlerCalls += 1;
    }
  }
  class FakeBrowserWindow {
    readonly webContents = new FakeWebContents();
    readonly loaded: string[] = [];
    constructor(readonly options: Record<string, unknown>) {
      h.last = this;
      // As Electron does: `web-contents-created` fires while the window is constructed, before any load.
      h.onWebContentsCreated?.({}, this.webContents);
    }
    once() {
      return this;
    }
    on() {
      return this;
    }
    loadFile(file: string) {
      this.loaded.push(`file:${file}`);
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.loaded.push(`url:${url}`);
      return Promise.resolve();
    }
    isMinimized = vi.fn(() => true);
    restore = vi.fn();
    show = vi.fn();
    focus = vi.fn();
  }
  return {
    FakeBrowserWindow,
    last: undefined as InstanceType<typeof FakeBrowserWindow> | undefined,
    onWebContentsCreated: undefined as Listener | undefined,
  };
});

vi.mock('electron', () => ({ BrowserWindow: h.FakeBrowserWindow }));

const {
  createMainWindow,
  enforceSingleInstance,
  hardenEveryWebContents,
  mainWindowOptions,
  withContentSecurityPolicy,
} = await import('./window');
const { createAppPageCheck } = await import('../security/app-page');

const isAppPage = createAppPageCheck({ rendererFile: RENDERER_FILE, platform: 'linux' });
const WINDOW = { packaged: true, isAppPage };
const DEV_WINDOW = { packaged: false, isAppPage };

/** The app as src/main/index.ts sets it up: `hardenEveryWebContents(app)` once, before any window. */
function fakeAppWithHardening() {
  const app = {
    on: vi.fn((event: string, fn: Listener) => {
      if (event === 'web-contents-created') h.onWebContentsCreated = fn;
      return app;
    }),
  };
  hardenEveryWebContents(app as never);
  return app;
}

beforeEach(() => {
  h.last = undefined;
  h.onWebContentsCreated = undefined;
  fakeAppWithHardening();
});

describe('main window security defaults', () => {
  it('turns on every webPreferences protection', () => {
    const prefs = mainWindowOptions('/app/out/preload/index.cjs', WINDOW).webPreferences ?? {};
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
    // Named here, not read from window.ts, so dropping one there fails this test (docs/architecture.md).
    const mustBeOn = ['contextIsolation', 'sandbox', 'webSecurity'] as const;
    const mustBeOff = [
      'nodeIntegration',
      'nodeIntegrationInWorker',
      'nodeIntegrationInSubFrames',
      'allowRunningInsecureContent',
      'webviewTag',
      'experimentalFeatures',
      'spellcheck',
      'devTools',
    ] as const;
    for (const key of mustBeOn) expect(prefs[key], key).toBe(true);
    for (const key of mustBeOff) expect(prefs[key], key).toBe(false);
  });

  it('keeps DevTools for development builds only', () => {
    expect(mainWindowOptions('/p.cjs', { packaged: false }).webPreferences?.devTools).toBe(true);
  });

  it('creates the window with those options and loads the built file', () => {
    createMainWindow('/p.cjs', { file: '/app/out/renderer/index.html' }, WINDOW);
    const window = h.last!;
    expect(window.options).toEqual(mainWindowOptions('/p.cjs', { packaged: true }));
    expect(window.loaded).toEqual(['file:/app/out/renderer/index.html']);
  });

  it('denies navigation, redirects and <webview>', () => {
    createMainWindow('/p.cjs', { file: '/index.html' }, WINDOW);
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const handler = h.last!.webContents.listeners.get(event);
      expect(handler, event).toBeDefined();
      const preventDefault = vi.fn();
      handler?.({ preventDefault }, 'https://evil.example/?code=1000.abc');
      expect(preventDefault, event).toHaveBeenCalled();
    }
  });

  it('attaches each navigation and popup rule exactly once (one place: web-contents-created)', () => {
    createMainWindow('/p.cjs', { file: '/index.html' }, WINDOW);
    const contents = h.last!.webContents;
    expect([...contents.registrations].sort()).toEqual([
      'will-attach-webview',
      'will-navigate',
      'will-redirect',
    ]);
    expect(contents.windowOpenHandlerCalls).toBe(1);
  });

  it('createMainWindow alone leaves those rules to the app-wide hook', () => {
    h.onWebContentsCreated = undefined;
    createMainWindow('/p.cjs', { file: '/index.html' }, WINDOW);
    expect(h.last!.webContents.registrations).toEqual([]);
    expect(h.last!.webContents.windowOpenHandlerCalls).toBe(0);
  });

  it('denies window.open, even to a Zoho host', () => {
    createMainWindow('/p.cjs', { file: '/index.html' }, WINDOW);
    const handler = h.last!.webContents.windowOpenHandler!;
    expect(handler({ url: 'https://accounts.zoho.com/' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check, but clipboard-sanitized-write for the app page', () => {
    createMainWindow('/p.cjs', { file: RENDERER_FILE }, WINDOW);
    const session = h.last!.webContents.session;
    const top = { isMainFrame: true, requestingUrl: `file://${RENDERER_FILE}#/tokens` };
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation']) {
      const callback = vi.fn();
      session.permissionRequest?.({}, permission, callback, top);
      expect(callback).toHaveBeenCalledWith(false);
      expect(session.permissionCheck?.({}, permission, 'file://', top)).toBe(false);
    }
    const allowed = vi.fn();
    session.permissionRequest?.({}, 'clipboard-sanitized-write', allowed, top);
    expect(allowed).toHaveBeenCalledWith(true);
    expect(session.permissionCheck?.({}, 'clipboard-sanitized-write', 'file://', top)).toBe(true);
    const subFrame = vi.fn();
    session.permissionRequest?.({}, 'clipboard-sanitized-write', subFrame, { ...top, isMainFrame: false });
    expect(subFrame).toHaveBeenCalledWith(false);
    expect(
      session.permissionCheck?.({}, 'clipboard-sanitized-write', 'https://evil.example', {
        isMainFrame: true,
        requestingUrl: 'https://evil.example/',
      }),
    ).toBe(false);
  });

  it('sets the CSP response header, replacing any the server sent', () => {
    createMainWindow('/p.cjs', { url: 'http://localhost:5173/' }, DEV_WINDOW);
    const callback = vi.fn();
    h.last!.webContents.session.headersReceived?.(
      { responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } },
      callback,
    );
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
    expect(withContentSecurityPolicy(undefined)).toEqual({
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });
});

describe('single instance', () => {
  function fakeApp(gotLock: boolean) {
    const listeners = new Map<string, Listener>();
    return {
      listeners,
      requestSingleInstanceLock: vi.fn(() => gotLock),
      on: vi.fn((event: string, fn: Listener) => listeners.set(event, fn)),
    };
  }

  it('tells a second instance to quit', () => {
    const app = fakeApp(false);
    expect(enforceSingleInstance(app as never, () => null)).toBe(false);
  });

  it('focuses the first window when a second instance starts', () => {
    const app = fakeApp(true);
    const window = new h.FakeBrowserWindow({});
    expect(enforceSingleInstance(app as never, () => window as never)).toBe(true);
    app.listeners.get('second-instance')?.();
    expect(window.restore).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });
});
