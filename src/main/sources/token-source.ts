import type { AuditLog } from '../audit/audit-log';
import type { ListableTokenStore } from '../store/token-store';

/**
 * The kinds TokenDesk opens itself. Another module can register more (a team store on PostgreSQL) through
 * the SourceRegistry, so the type stays open.
 */
export type SourceKind = 'local' | 'filestore' | 'sqlite' | 'mysql' | (string & {});

/** What a person (and the CLI's `--json`) is told about a source: never a password or a secret. */
export interface SourceDescriptor {
  /** Stable within one run: `local`, or a kind and a hash of its location. */
  readonly id: string;
  readonly kind: SourceKind;
  /** `sdk_tokens.txt`, `tokens@db.example:3306/zohooauth.oauthtoken`, ... */
  readonly displayName: string;
  /**
   * True when the source keeps secrets readable by anyone who can read its file or table (every SDK
   * store, by the SDK's design); the console marks it and asks for a typed confirmation before copying a
   * secret into it.
   */
  readonly plaintextAtRest: boolean;
  /** The source's URI with any password removed (for display, logs and audit rows). */
  readonly redactedUri: string;
}

/** One opened source: its descriptor and its TokenStore (every token action runs over this store). */
export interface TokenSource {
  readonly descriptor: SourceDescriptor;
  readonly store: ListableTokenStore;
  /**
   * For a source that can tell when its integration changed it (a FileStore file): calls `onChange` after
   * each such change (debounced, not for TokenDesk's own writes); returns the function that stops it.
   */
  watch?(onChange: () => void): () => void;
  /**
   * A source with an audit log of its own (the team store's, naming the member): the actions on its tokens
   * are recorded there rather than in this computer's log.
   */
  readonly audit?: AuditLog;
  /**
   * For a source this process may read and refresh but not change (a read-only member of a team store):
   * throws the plain refusal for `what` ("revoke tokens"), before anything is done at Zoho or in the source.
   */
  assertWritable?(what: string): void;
  close(): Promise<void>;
}

export const PLAINTEXT_AT_REST_EXPLANATION =
  'This source keeps client secrets, refresh tokens and access tokens in plaintext, as the Zoho SDK stores them: anyone who can read its file or table can use them. TokenDesk does not change that; it only reads and writes what is there.';
