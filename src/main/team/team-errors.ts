import { AppError, type AppErrorOptions } from '../errors';

export type TeamStoreErrorCode =
  | 'INVALID_MEMBER_KEY'
  | 'LOCKED'
  | 'NOT_A_MEMBER'
  | 'READ_ONLY'
  | 'NOT_A_TEAM_STORE'
  | 'ALREADY_A_MEMBER'
  | 'UNKNOWN_MEMBER'
  | 'LAST_MEMBER'
  | 'UNREACHABLE';

/** An AppError for the team store's own rules: `message` is written to be shown and names no secret. */
export class TeamStoreError extends AppError {
  declare readonly code: TeamStoreErrorCode;

  constructor(code: TeamStoreErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
    this.name = 'TeamStoreError';
  }
}

/** What a member whose connection dropped is told while the store tries again. */
export const UNREACHABLE_RETRYING = 'team store unreachable, retrying';
