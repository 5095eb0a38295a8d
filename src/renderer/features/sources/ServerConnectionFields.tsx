import { Field } from '../../components/Field';

/** A database server's connection as typed (strings, as inputs give them). */
export interface ServerDraft {
  readonly host: string;
  readonly port: string;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  readonly tls: 'off' | 'required' | 'insecure';
}

interface Props {
  readonly draft: ServerDraft;
  readonly onChange: (patch: Partial<ServerDraft>) => void;
  /** Under the password: how it is kept, or that an empty one keeps the saved one. */
  readonly passwordDescription?: string | undefined;
}

/**
 * Host, port, database, user, password and TLS of a database server: the one set of fields of an SDK
 * DBStore on MySQL (Sources) and of the team store on PostgreSQL (Team), so both say TLS the same way.
 */
export function ServerConnectionFields({ draft, onChange, passwordDescription }: Props) {
  return (
    <>
      <Field label="Host" value={draft.host} onChange={(e) => onChange({ host: e.target.value })} />
      <Field
        label="Port"
        value={draft.port}
        inputMode="numeric"
        onChange={(e) => onChange({ port: e.target.value })}
      />
      <Field
        label="Database"
        value={draft.database}
        onChange={(e) => onChange({ database: e.target.value })}
      />
      <Field label="User" value={draft.user} onChange={(e) => onChange({ user: e.target.value })} />
      <Field
        label="Password"
        type="password"
        autoComplete="off"
        value={draft.password}
        onChange={(e) => onChange({ password: e.target.value })}
        {...(passwordDescription ? { description: passwordDescription } : {})}
      />
      <label className="field">
        <span className="field__label">TLS</span>
        <select
          className="input"
          value={draft.tls}
          onChange={(e) => onChange({ tls: e.target.value as ServerDraft['tls'] })}
        >
          <option value="off">Off</option>
          <option value="required">Required (verify the certificate)</option>
          <option value="insecure">Required, any certificate</option>
        </select>
      </label>
    </>
  );
}
