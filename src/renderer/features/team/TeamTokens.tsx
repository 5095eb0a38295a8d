import { useIpcMutation } from '../../api/hooks';
import type { SourceActionMessage } from '../sources/SourceTokenActions';
import { SourceTokens } from '../sources/SourceTokens';
import { TEAM_READ_ONLY_REASON } from './team-queries';

interface Props {
  readonly sourceId: string;
  readonly displayName: string;
  readonly canManage: boolean;
}

/**
 * The team's tokens: the team store as a source (the list the main token table shows too, re-read on every
 * change any member commits), with the same actions as any source's tokens; a read-only member sees the
 * changing ones turned off, with the reason. A managing member also copies this computer's tokens in.
 */
export function TeamTokens({ sourceId, displayName, canManage }: Props) {
  return (
    <SourceTokens
      source={{ id: sourceId, displayName }}
      title="Team tokens"
      emptyText="No tokens in the team store yet."
      readOnlyReason={canManage ? null : TEAM_READ_ONLY_REASON}
      toolbar={(say) => (canManage ? <CopyInButton sourceId={sourceId} say={say} /> : null)}
    />
  );
}

function CopyInButton({ sourceId, say }: { sourceId: string; say: (message: SourceActionMessage) => void }) {
  const copyIn = useIpcMutation('transferTokens');
  return (
    <button
      type="button"
      className="btn btn--small"
      disabled={copyIn.isPending}
      onClick={() =>
        copyIn.mutate(
          { fromSourceId: 'local', toSourceId: sourceId },
          {
            onSuccess: (r) =>
              say(
                r.failed > 0
                  ? { tone: 'danger', text: `${r.copied} copied, ${r.failed} not copied.` }
                  : { tone: 'ok', text: `${r.copied} token(s) copied from this computer to the team.` },
              ),
            onError: (error) => say({ tone: 'danger', text: error.message }),
          },
        )
      }
    >
      {copyIn.isPending ? 'Copying…' : 'Copy this computer’s tokens to the team'}
    </button>
  );
}
