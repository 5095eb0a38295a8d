import { Command, CommanderError, Option } from 'commander';
import type { TokenView } from '../../shared/ipc/views';
import { AppError } from '../errors';
import type { TokenSource } from '../sources/token-source';
import { transferTokens } from '../sources/token-transfer';
import type { CliEnvironment } from './cli-environment';
import { CliSession, type PassphrasePrompt } from './cli-session';
import { formatTable, isoOrNull } from './output';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: CliEnvironment;
  readonly prompt: PassphrasePrompt;
}

/** Exit codes: 0 done; 1 the operation failed (Zoho, the source, a token); 2 the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const SOURCE_HELP =
  'local (default), filestore:PATH, sqlite:PATH[?table=NAME], mysql://USER:PASS@HOST:PORT/DB[?table=NAME] or postgres://USER:PASS@HOST:PORT/DB[?schema=NAME] (a team store)';

/** What `list --json` prints per token: never a secret. */
function listRow(view: TokenView, source: TokenSource) {
  return {
    id: view.id,
    userName: view.userName,
    clientId: view.clientId,
    dataCenter: view.dataCenter,
    environment: view.environment,
    expiresAt: isoOrNull(view.expiresAt),
    status: view.status,
    lastError: view.lastError,
    source: source.descriptor.redactedUri,
  };
}

function oneLine(error: unknown): string {
  if (error instanceof AppError)
    return `${error.message}${error.hint ? ` ${error.hint}` : ''}`.replace(/\s+/g, ' ');
  return 'An unexpected error stopped the command.';
}

/**
 * The `tokendesk` command over the core (CliSession): every decision (matching, refresh rules, revoke
 * then delete, transfer checks) is the services'; this file only parses, calls and prints.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const session = new CliSession(io.env, io.prompt);
  let code: number = EXIT.ok;
  const print = (json: boolean, value: unknown, text: string) =>
    io.out(json ? JSON.stringify(value, null, 2) : text);

  const program = new Command('tokendesk')
    .description('Zoho CRM OAuth tokens in TokenDesk and in the stores your integrations use')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError(false);
  const sourceOption = () =>
    new Option('--source <uri>', `where the tokens are: ${SOURCE_HELP}`).default('local');

  program
    .command('list')
    .description('list the tokens of a source')
    .addOption(sourceOption())
    .option('--json', 'machine-readable output')
    .action(async (opts: { source: string; json?: boolean }) => {
      const source = await session.source(opts.source);
      const views = await (await session.services()).for(source).list();
      const rows = views.map((v) => listRow(v, source));
      print(
        opts.json === true,
        rows,
        rows.length === 0
          ? `No tokens in ${source.descriptor.displayName}.`
          : formatTable(
              ['ID', 'USER', 'DC', 'ENV', 'EXPIRES', 'STATUS'],
              rows.map((r) => [
                r.id,
                r.userName ?? '-',
                r.dataCenter ?? '?',
                r.environment ?? '?',
                r.expiresAt ?? '-',
                r.status,
              ]),
            ),
      );
    });

  program
    .command('test')
    .description('make a CRM call with a token (refreshing it first if it expired)')
    .argument('<id>', 'token id')
    .addOption(sourceOption())
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { source: string; json?: boolean }) => {
      const source = await session.source(opts.source);
      const result = await (await session.services()).for(source).testCall(id);
      if (!result.ok) code = EXIT.failed;
      print(
        opts.json === true,
        { id, source: source.descriptor.redactedUri, ...result },
        result.ok
          ? `Token ${id}: CRM answered ${result.httpStatus} in ${result.latencyMs} ms as ${result.userEmail ?? 'unknown user'}${result.orgName ? ` (${result.orgName})` : ''}.`
          : `Token ${id}: ${result.message}`,
      );
    });

  program
    .command('refresh')
    .description('get a new access token now and write it back to the source')
    .argument('<id>', 'token id')
    .addOption(sourceOption())
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { source: string; json?: boolean }) => {
      const source = await session.source(opts.source);
      const view = await (await session.services()).for(source).refreshNow(id);
      const row = listRow(view, source);
      print(opts.json === true, row, `Token ${id} refreshed; valid until ${row.expiresAt ?? 'unknown'}.`);
    });

  program
    .command('revoke')
    .description('revoke a token at Zoho, then delete it from the source')
    .argument('<id>', 'token id')
    .addOption(sourceOption())
    .option('--keep', 'revoke at Zoho but keep the row in the source')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { source: string; keep?: boolean; json?: boolean }) => {
      const source = await session.source(opts.source);
      // A read-only team member is refused before the revoke at Zoho, not after it.
      source.assertWritable?.('revoke tokens');
      const services = await session.services();
      if (opts.keep) {
        const outcome = await services.revokeOnly(source, id);
        if (outcome.state === 'failed') code = EXIT.failed;
        print(
          opts.json === true,
          { id, source: source.descriptor.redactedUri, revoke: outcome, deleted: false },
          outcome.state === 'failed'
            ? `Token ${id}: not revoked: ${outcome.message}`
            : `Token ${id} revoked at Zoho; the row was kept.`,
        );
        return;
      }
      const result = await services.for(source).delete(id, { revoke: true, deleteIfRevokeFails: false });
      if (!result.deleted || result.revoke.state === 'failed') code = EXIT.failed;
      print(
        opts.json === true,
        { source: source.descriptor.redactedUri, ...result },
        result.revoke.state === 'failed'
          ? `Token ${id}: not revoked (${result.revoke.message}); it was kept in ${source.descriptor.displayName}.`
          : `Token ${id} revoked at Zoho and deleted from ${source.descriptor.displayName}.`,
      );
    });

  program
    .command('import')
    .description('copy (or move) tokens from a source into the local encrypted store')
    .requiredOption('--from <uri>', `where the tokens are: ${SOURCE_HELP}`)
    .option('--to <uri>', 'destination (default: local)', 'local')
    .option('--move', 'delete each token from the source once its copy is saved and checked')
    .option('--json', 'machine-readable output')
    .action(async (opts: { from: string; to: string; move?: boolean; json?: boolean }) => {
      if (opts.to === 'local') await session.unlockLocal(true);
      const from = await session.source(opts.from);
      const to = await session.source(opts.to);
      if (to.descriptor.plaintextAtRest) {
        throw new AppError(
          'USAGE',
          `${to.descriptor.displayName} keeps secrets in plaintext: use tokendesk export --yes-plaintext.`,
        );
      }
      code = await transfer(from, to, { move: opts.move === true, json: opts.json === true });
    });

  program
    .command('export')
    .description('copy tokens from the local store into an SDK FileStore, DBStore or SQLite table')
    .requiredOption('--to <uri>', `destination: ${SOURCE_HELP}`)
    .option('--from <uri>', 'where the tokens are (default: local)', 'local')
    .option('--ids <ids>', 'comma-separated token ids (default: all)')
    .option('--yes-plaintext', 'confirm that the destination keeps the secrets in plaintext')
    .option('--json', 'machine-readable output')
    .action(
      async (opts: { to: string; from: string; ids?: string; yesPlaintext?: boolean; json?: boolean }) => {
        const from = await session.source(opts.from);
        const to = await session.source(opts.to, true);
        const ids = opts.ids
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        code = await transfer(from, to, {
          json: opts.json === true,
          plaintextConfirmed: opts.yesPlaintext === true,
          ...(ids ? { ids } : {}),
        });
      },
    );

  async function transfer(
    from: TokenSource,
    to: TokenSource,
    options: { move?: boolean; json: boolean; ids?: string[]; plaintextConfirmed?: boolean },
  ): Promise<number> {
    const result = await transferTokens(
      {
        from,
        to,
        move: options.move ?? false,
        plaintextConfirmed: options.plaintextConfirmed ?? false,
        ...(options.ids ? { ids: options.ids } : {}),
      },
      await session.audit(),
    );
    print(
      options.json,
      { from: from.descriptor.redactedUri, to: to.descriptor.redactedUri, ...result },
      [
        formatTable(
          ['ID', 'USER', 'OUTCOME', 'NEW ID', 'DETAIL'],
          result.outcomes.map((o) => [o.id, o.userName ?? '-', o.state, o.newId ?? '-', o.message ?? '']),
        ),
        `${result.copied} copied, ${result.moved} moved, ${result.failed} failed.`,
      ].join('\n'),
    );
    return result.failed > 0 ? EXIT.failed : EXIT.ok;
  }

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are exits with code 0; a wrong command line is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.err(`tokendesk: ${oneLine(error)}`);
    return error instanceof AppError && (error.code === 'USAGE' || error.code === 'BAD_SOURCE')
      ? EXIT.usage
      : EXIT.failed;
  } finally {
    await session.close();
  }
}
