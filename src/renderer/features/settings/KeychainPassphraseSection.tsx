import { useState } from 'react';
import { useIpcMutation } from '../../api/hooks';
import { InlineError } from '../../components/InlineError';
import { Spinner } from '../../components/Spinner';
import { useToast } from '../../components/Toasts';
import { ChangePassphraseForm } from './ChangePassphraseForm';
import { NewPassphraseForm, toastStoreChange } from './NewPassphraseForm';

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
  return (
    <NewPassphraseForm
      testId="add-passphrase"
      askCurrent={false}
      pending={add.isPending}
      error={add.error}
      errorTitle="No passphrase was added"
      submitLabel="Add passphrase"
      pendingLabel="Wrapping the key…"
      onSubmit={({ next }, clear) =>
        add.mutate(
          { passphrase: next },
          {
            onSuccess: (result) => {
              clear();
              toastStoreChange(
                toast,
                {
                  title: 'Passphrase added',
                  description: 'The store now opens with the keychain or this passphrase.',
                  warningTitle: 'Passphrase added, with a problem',
                },
                result.warning,
              );
            },
          },
        )
      }
    />
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
                      toastStoreChange(
                        toast,
                        {
                          title: 'Passphrase removed',
                          description: 'Only the keychain opens the store now.',
                          warningTitle: 'Removed, with a problem',
                        },
                        result.warning,
                      );
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
