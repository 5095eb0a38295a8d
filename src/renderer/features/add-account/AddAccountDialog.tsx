import * as Tabs from '@radix-ui/react-tabs';
import { useState } from 'react';
import type { DataCenterId, ZohoEnvironment } from '../../../shared/datacenters';
import { CLIENT_NAME_MAX, labelTextProblem } from '../../../shared/ipc/labels';
import type { AppStatus, GrantResult, Settings } from '../../../shared/ipc/views';
import { toUserError } from '../../api/client';
import { useIpcMutation, useSignInProgress } from '../../api/hooks';
import { CopyButton } from '../../components/CopyButton';
import { DialogClose, DialogShell } from '../../components/DialogShell';
import { Field } from '../../components/Field';
import { InlineError } from '../../components/InlineError';
import { LiveRegion } from '../../components/LiveRegion';
import { Select } from '../../components/Select';
import { Spinner } from '../../components/Spinner';
import { useToast } from '../../components/Toasts';
import { describeGrantResult } from '../tokens/revoke-outcome';
import {
  type AccountField,
  type AccountFormValues,
  buildSignInRequest,
  DATA_CENTER_OPTIONS,
  DEFAULT_SCOPES,
  ENVIRONMENT_OPTIONS,
  type FieldErrors,
  redirectUri,
  type SignInMethod,
  signInAnnouncement,
} from './account-form';
import { ConnectedAccountsNotice } from './ConnectedAccountsNotice';
import { SignInProgressView } from './SignInProgressView';

/** The fields typed as text (data center and environment are selects). */
type TextField = Exclude<AccountField, 'dataCenter' | 'environment'>;

interface Props {
  readonly status: AppStatus;
  readonly settings: Settings;
  readonly onClose: () => void;
}

function initialValues(status: AppStatus, settings: Settings): AccountFormValues {
  const demo = status.demo?.running ? status.demo : null;
  return {
    dataCenter: demo?.dataCenters[0] ?? settings.defaultDataCenter,
    environment: settings.defaultEnvironment,
    clientId: demo?.clientId ?? '',
    clientSecret: demo?.clientSecret ?? '',
    scopes: DEFAULT_SCOPES,
    grantCode: '',
    refreshToken: '',
  };
}

export function AddAccountDialog({ status, settings, onClose }: Props) {
  const toast = useToast();
  const [values, setValues] = useState<AccountFormValues>(() => initialValues(status, settings));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [method, setMethod] = useState<SignInMethod>('browser');
  // Not part of the sign-in request: saved for the client once the sign-in has worked (docs/labels.md).
  const [clientName, setClientName] = useState('');
  const [clientNameError, setClientNameError] = useState<string | undefined>(undefined);
  const nameClient = useIpcMutation('setClientName');
  const [flowId, setFlowId] = useState<string | null>(null);
  const { progress, begin } = useSignInProgress();
  const browser = useIpcMutation('signInWithBrowser');
  const grant = useIpcMutation('signInWithGrantCode');
  const imported = useIpcMutation('importRefreshToken');
  const cancel = useIpcMutation('cancelSignIn');
  const busy = browser.isPending || grant.isPending || imported.isPending;
  const lastError = method === 'browser' ? browser.error : method === 'grant' ? grant.error : imported.error;
  const cancelled = lastError ? toUserError(lastError).code === 'CANCELLED' : false;
  const uri =
    status.demo?.running && status.demo.redirectUri
      ? status.demo.redirectUri
      : redirectUri(settings.redirectPort, settings.redirectPath);

  /** A text field's value, its error, and an onChange that stores the text and clears that error. */
  const bind = (field: TextField) => ({
    value: values[field],
    error: errors[field],
    onChange: (e: { target: { value: string } }) => {
      setValues((v) => ({ ...v, [field]: e.target.value }));
      setErrors((old) => ({ ...old, [field]: undefined }));
    },
  });

  const done = async (result: GrantResult) => {
    const said = describeGrantResult(result, 'Added');
    // The account is added whatever happens to its client's name; a name that could not be saved is said.
    const named = await nameAddedClient(result.clientId);
    toast({
      tone: said.tone,
      title: said.title,
      description: `${result.dataCenter ?? values.dataCenter} · ${result.environment ?? values.environment}. ${
        said.detail ?? 'Try “Test CRM call” next.'
      }${named}`,
    });
    onClose();
  };

  /** Saves the typed client name, if any; returns words to add to the toast when it was not saved. */
  const nameAddedClient = async (clientId: string | null): Promise<string> => {
    const name = clientName.normalize('NFC').trim();
    if (name === '' || clientId === null) return '';
    try {
      await nameClient.mutateAsync({ clientId, name });
      return ` Client named “${name}”.`;
    } catch (error) {
      return ` The client name was not saved: ${toUserError(error).message}`;
    }
  };

  const submit = () => {
    const id = crypto.randomUUID();
    const built = buildSignInRequest(method, values, id);
    const nameProblem = labelTextProblem('clientName', clientName.normalize('NFC').trim()) ?? undefined;
    setClientNameError(nameProblem);
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    // Checked before the sign-in, so a name that cannot be saved never leaves an account half named.
    if (nameProblem) return;
    if (built.method === 'signInWithBrowser') {
      setFlowId(id);
      begin(id);
      browser.mutate(built.request, { onSuccess: done });
    } else if (built.method === 'signInWithGrantCode') {
      grant.mutate(built.request, { onSuccess: done });
    } else {
      imported.mutate(built.request, { onSuccess: done });
    }
  };

  const stop = () => {
    if (browser.isPending && flowId) cancel.mutate({ flowId });
    else if (!busy) onClose();
  };

  return (
    <DialogShell
      title="Add account"
      description={
        <>
          Connect a Zoho CRM user. The client comes from the Zoho API console; tokens are specific to one data
          center and environment.
          {status.demo?.running && <strong> Demo mode: the simulator’s client is pre-filled.</strong>}
        </>
      }
      size="wide"
      testId="add-account-dialog"
      onDismiss={stop}
      // The dialog unmounts as it closes; the button that opened it may have been replaced meanwhile (the
      // empty list's button gives way to the toolbar's once an account is added).
      returnFocus={() => {
        const addButton = document.querySelector<HTMLElement>('[data-testid="add-account"]');
        addButton?.focus();
        return addButton !== null;
      }}
      live={
        <LiveRegion message={signInAnnouncement(browser.isPending, browser.isPending ? progress : null)} />
      }
      onSubmit={submit}
      footer={
        !(method === 'browser' && browser.isPending) && (
          <>
            <DialogClose disabled={busy}>Cancel</DialogClose>
            <button
              type="submit"
              className="btn btn--primary"
              disabled={busy}
              data-testid="add-account-submit"
            >
              {busy ? (
                <Spinner
                  label={method === 'grant' ? 'Exchanging the code…' : 'Checking the refresh token…'}
                />
              ) : method === 'browser' ? (
                'Sign in with browser'
              ) : method === 'grant' ? (
                'Exchange grant code'
              ) : (
                'Import refresh token'
              )}
            </button>
          </>
        )
      }
    >
      <fieldset disabled={busy} className="form-grid">
        <Select<DataCenterId>
          label="Data center"
          value={values.dataCenter}
          options={DATA_CENTER_OPTIONS}
          onChange={(dataCenter) => setValues((v) => ({ ...v, dataCenter }))}
          testId="add-dc"
          disabled={busy}
        />
        <Select<ZohoEnvironment>
          label="Environment"
          value={values.environment}
          options={ENVIRONMENT_OPTIONS}
          onChange={(environment) => setValues((v) => ({ ...v, environment }))}
          testId="add-env"
          disabled={busy}
        />
        <Field
          label="Client ID"
          {...bind('clientId')}
          autoComplete="off"
          spellCheck={false}
          className="span-2"
          data-testid="add-client-id"
        />
        <Field
          label="Client secret"
          type="password"
          {...bind('clientSecret')}
          autoComplete="off"
          className="span-2"
          data-testid="add-client-secret"
        />
        <Field
          label="Client name (optional)"
          value={clientName}
          error={clientNameError}
          onChange={(e) => {
            setClientName(e.target.value);
            setClientNameError(undefined);
          }}
          description="Which integration this client belongs to, e.g. “Website forms”. Shown in the token list and found by search."
          autoComplete="off"
          maxLength={CLIENT_NAME_MAX * 2}
          className="span-2"
          data-testid="add-client-name"
        />
      </fieldset>
      {/* Each panel starts with a field, so the panels themselves are no tab stop (tabIndex -1). */}
      <Tabs.Root value={method} onValueChange={(m) => setMethod(m as SignInMethod)} className="tabs">
        <Tabs.List className="tabs__list" aria-label="How to sign in">
          <Tabs.Trigger value="browser" className="tabs__tab" disabled={busy}>
            Browser sign-in
          </Tabs.Trigger>
          <Tabs.Trigger value="grant" className="tabs__tab" disabled={busy}>
            Self Client grant code
          </Tabs.Trigger>
          <Tabs.Trigger value="import" className="tabs__tab" disabled={busy}>
            Import refresh token
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="browser" className="tabs__panel" tabIndex={-1}>
          {browser.isPending ? (
            <SignInProgressView progress={progress} onCancel={stop} cancelling={cancel.isPending} />
          ) : (
            <>
              <div className="field">
                <label className="field__label" htmlFor="redirect-uri">
                  Redirect URI to register for this client at Zoho (exactly)
                </label>
                <div className="field__control">
                  <input
                    id="redirect-uri"
                    className="input mono"
                    readOnly
                    value={uri}
                    onFocus={(e) => e.currentTarget.select()}
                    data-testid="redirect-uri"
                  />
                  <CopyButton text={uri} label="Copy redirect URI" testId="copy-redirect-uri" />
                </div>
                <p className="field__desc">Change the port or path in Settings if this one is taken.</p>
              </div>
              <Field
                label="Scopes"
                {...bind('scopes')}
                description="Comma-separated. Test CRM call needs ZohoCRM.users.READ and ZohoCRM.org.READ."
                spellCheck={false}
                data-testid="add-scopes"
              />
            </>
          )}
        </Tabs.Content>
        <Tabs.Content value="grant" className="tabs__panel" tabIndex={-1}>
          <Field
            label="Grant code"
            {...bind('grantCode')}
            description="In the Zoho API console, open your Self Client → Generate Code. It is single-use and expires in about 2 minutes."
            autoComplete="off"
            spellCheck={false}
            data-testid="add-grant-code"
          />
        </Tabs.Content>
        <Tabs.Content value="import" className="tabs__panel" tabIndex={-1}>
          <Field
            label="Refresh token"
            type="password"
            {...bind('refreshToken')}
            description="A refresh token you already have (it starts with 1000.). TokenDesk refreshes it once to check it works."
            autoComplete="off"
            data-testid="add-refresh-token"
          />
        </Tabs.Content>
      </Tabs.Root>
      <ConnectedAccountsNotice
        clientId={values.clientId}
        dataCenter={values.dataCenter}
        environment={values.environment}
      />
      {lastError &&
        !busy &&
        (cancelled ? (
          <p className="muted" role="status">
            Sign-in cancelled. You can start again.
          </p>
        ) : (
          <InlineError error={lastError} title="The account was not added" testId="add-account-error" />
        ))}
    </DialogShell>
  );
}
