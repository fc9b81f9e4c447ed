/** A command for an administrator: shown as code, with a button that copies it. */
import { useRef, useState } from 'react';
import { Button, Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { Copy20Regular } from '@fluentui/react-icons';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: '4px', minWidth: 0 },
  row: { display: 'flex', alignItems: 'flex-start', gap: '8px', flexWrap: 'wrap' },
  code: {
    margin: 0,
    flex: '1 1 320px',
    minWidth: 0,
    padding: '8px 10px',
    overflowX: 'auto',
    whiteSpace: 'pre',
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground1,
    backgroundColor: tokens.colorNeutralBackground3,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
  },
});

/** Teams' iframe may refuse the clipboard: then the text is selected for Ctrl+C instead. */
async function copyText(text: string, fallback: () => void): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    fallback();
    return false;
  }
}

export function CodeBlock({ code, label }: { code: string; label: string }) {
  const s = useStyles();
  const pre = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState<'copied' | 'selected' | null>(null);
  const select = () => {
    const el = pre.current;
    if (!el) return;
    const range = document.createRange();
    range.selectNodeContents(el);
    const sel = window.getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
  };
  return (
    <div className={s.root}>
      <div className={s.row}>
        {/* Scrollable code must be reachable by keyboard to be scrolled. */}
        <pre ref={pre} className={s.code} aria-label={label} tabIndex={0} data-testid="code">
          <code>{code}</code>
        </pre>
        <Button
          icon={<Copy20Regular />}
          size="small"
          aria-label={`Copy ${label}`}
          onClick={() => void copyText(code, select).then((ok) => setCopied(ok ? 'copied' : 'selected'))}
        >
          Copy
        </Button>
      </div>
      <Caption1 role="status">{copied === 'copied' ? 'Copied.' : copied === 'selected' ? 'Selected: press Ctrl+C to copy.' : ''}</Caption1>
    </div>
  );
}
