import { useMemo, useState } from 'react';
import { revealed, safeParts, truncateGraphemes } from '../lib/safe-text';

/** Tooltips carry the whole value up to this many characters (a 10,000-character one is of no use). */
const TITLE_MAX = 2_000;

interface Props {
  /** Text someone else controls: a user name or email, an org name, a detail that quotes them. */
  readonly value: string;
  /** Visible characters before the value is cut (graphemes; escapes count as what they show). */
  readonly max?: number;
  /** Offer "Show all" / "Show less" when cut (details panels; not table cells, whose rows have one height). */
  readonly expandable?: boolean;
  readonly className?: string;
  readonly testId?: string;
}

/**
 * One value shown safely (lib/safe-text.ts): isolated with `<bdi>`, invisible characters shown as
 * escapes, cut when long, the full value in the tooltip and, when `expandable`, on demand.
 */
export function SafeText({ value, max = 80, expandable = false, className, testId }: Props) {
  const [expanded, setExpanded] = useState(false);
  const { parts, cut } = useMemo(
    () => safeParts(value, expanded ? Number.POSITIVE_INFINITY : max),
    [value, max, expanded],
  );
  const title = useMemo(() => {
    const { text, cut: long } = truncateGraphemes(revealed(value), TITLE_MAX);
    return long ? `${text}…` : text;
  }, [value]);
  return (
    <>
      <bdi
        className={`safe-text${className ? ` ${className}` : ''}`}
        title={cut || parts.some((p) => p.kind === 'escape') ? title : undefined}
        data-testid={testId}
        data-cut={cut || undefined}
      >
        {parts.map((part, i) =>
          part.kind === 'escape' ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: parts of one string, in a fixed order
            <span key={i} className="safe-text__escape" title="An invisible character, shown as its code">
              {part.value}
            </span>
          ) : (
            part.value
          ),
        )}
        {cut && '…'}
      </bdi>
      {expandable && (cut || expanded) && (
        <button
          type="button"
          className="btn btn--link safe-text__toggle"
          onClick={() => setExpanded((e) => !e)}
          aria-expanded={expanded}
          data-testid={testId ? `${testId}-toggle` : undefined}
        >
          {expanded ? 'Show less' : `Show all (${value.length.toLocaleString('en')} characters)`}
        </button>
      )}
    </>
  );
}
