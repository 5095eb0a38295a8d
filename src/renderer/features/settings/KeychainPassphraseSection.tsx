import { useState } from 'react';
import { useIpcMutation } from '../../api/hooks';
import { InlineError } from '../../components/InlineError';
import { Spinner } from '../../components/Spinner';
import { useToast } from '../../components/Toasts';
import { PassphraseFields, passphraseProblem } from '../unlock/PassphraseFields';
import { ChangePassphraseForm } from './ChangePassphraseForm';

/**
 * A keychain store can also open with a passphrase: the `tokendesk` command on this machine has no
 * keychain, so without one it cannot open the store. Adding it wraps the same key; removing it makes a
 * new key, so the old passphrase (and any copy of the file made meanwhile) opens nothing written later.
 */
export function KeychainPassphraseSection({ alsoPassphrase }: { readonly alsoPassphrase: boolean }) {
  return (
    <div className="stack" data-testid="keychain-passphrase">
      <p className="muted">
        The encryption key is protected by the OS keychain.{' '}
        {alsoPassphrase
          ? 'It also opens with a passphrase, which the tokendesk command uses (TOKENDESK_PASSPHRASE or its prompt).'
          : 'The tokendesk command cannot use the keychain: add a passphrase to use it on this store.'}
      </p>
      {alsoPassphrase ? (
        <>
          <ChangePassphraseForm />
          <RemovePassphrase />
        </>
      ) : (
        <AddPassphraseForm />
      )}
    </div>
  );
}

function AddPassphraseForm() {
  const toast = useToast();
  const add = useIpcMutation('addStorePassphrase');
  const [value, setValue] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      noValidate
      className="stack"
      data-testid="add-passphrase"
      onSubmit={(e) => {
        e.preventDefault();
        const p = passphraseProblem(value, confirm);
        setProblem(p);
        if (p) return;
        add.mutate(
          { passphrase: value },
          {
            onSuccess: (result) => {
              setValue('');
              setConfirm('');
              toast({
                tone: 'success',
                title: 'Passphrase added',
                description: 'The store now opens with the keychain or this passphrase.',
              });
              if (result.warning)
                toast({
                  tone: 'error',
                  title: 'Passphrase added, with a problem',
                  description: result.warning,
                });
            },
          },
        );
      }}
    >
      <PassphraseFields
        value={value}
        confirm={confirm}
        onValue={setValue}
        onConfirm={setConfirm}
        error={problem ?? undefined}
      />
      <InlineError error={add.error} title="No passphrase was added" />
      <div className="dialog__actions">
        <button type="submit" className="btn" disabled={add.isPending}>
          {add.isPending ? <Spinner label="Wrapping the key…" /> : 'Add passphrase'}
        </button>
      </div>
    </form>
  );
}

function RemovePassphrase() {
  const toast = useToast();
  const remove = useIpcMutation('removeStorePassphrase');
  const [asking, setAsking] = useState(false);
  return (
    <div className="stack">
      <InlineError error={remove.error} title="The passphrase was not removed" />
      {asking ? (
        <div className="stack">
          <p role="alert">
            Remove the passphrase? The store gets a new key that only the keychain opens; the tokendesk
            command will no longer open it.
          </p>
          <div className="dialog__actions">
            <button
              type="button"
              className="btn"
              onClick={() => setAsking(false)}
              disabled={remove.isPending}
            >
              Keep it
            </button>
            <button
              type="button"
              className="btn btn--danger"
              disabled={remove.isPending}
              onClick={() =>
                remove.mutate(
                  {},
                  {
                    onSuccess: (result) => {
                      setAsking(false);
                      toast({
                        tone: 'success',
                        title: 'Passphrase removed',
                        description: 'Only the keychain opens the store now.',
                      });
                      if (result.warning)
                        toast({
                          tone: 'error',
                          title: 'Removed, with a problem',
                          description: result.warning,
                        });
                    },
                  },
                )
              }
            >
              {remove.isPending ? <Spinner label="Re-encrypting…" /> : 'Remove passphrase'}
            </button>
          </div>
        </div>
      ) : (
        <div className="dialog__actions">
          <button type="button" className="btn" onClick={() => setAsking(true)}>
            Remove passphrase…
          </button>
        </div>
      )}
    </div>
  );
}
