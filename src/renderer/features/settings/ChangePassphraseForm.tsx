import { useIpcMutation } from '../../api/hooks';
import { useToast } from '../../components/Toasts';
import { NewPassphraseForm, toastStoreChange } from './NewPassphraseForm';

export function ChangePassphraseForm() {
  const toast = useToast();
  const change = useIpcMutation('changePassphrase');
  return (
    <NewPassphraseForm
      testId="change-passphrase"
      askCurrent
      pending={change.isPending}
      error={change.error}
      errorTitle="The passphrase was not changed"
      submitLabel="Change passphrase"
      pendingLabel="Re-encrypting the key…"
      onSubmit={(passphrases, clear) =>
        change.mutate(passphrases, {
          onSuccess: (result) => {
            clear();
            toastStoreChange(
              toast,
              {
                title: 'Passphrase changed',
                description: 'Use the new one next time TokenDesk starts.',
                warningTitle: 'Passphrase changed, with a problem',
              },
              result.warning,
            );
          },
        })
      }
    />
  );
}
