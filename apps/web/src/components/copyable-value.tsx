"use client";

import { useState } from "react";

/** A read-only value with a Copy button; a secret one is masked until revealed. */
export function CopyableValue({
  label,
  value,
  isSecret,
}: {
  label: string;
  value: string;
  isSecret: boolean;
}) {
  const [isRevealed, setIsRevealed] = useState(!isSecret);
  const [copied, setCopied] = useState(false);
  const id = `value-${label.replace(/\W+/g, "-").toLowerCase()}`;
  async function copy() {
    await navigator.clipboard.writeText(value);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  }
  return (
    <div className="copyable">
      <label htmlFor={id}>{label}</label>
      <div className="copyable-row">
        <input id={id} readOnly type={isRevealed ? "text" : "password"} value={value} spellCheck={false} />
        {isSecret && (
          <button
            type="button"
            className="secondary"
            onClick={() => setIsRevealed(!isRevealed)}
            aria-pressed={isRevealed}
          >
            {isRevealed ? "Hide" : "Reveal"}
          </button>
        )}
        <button type="button" className="secondary" onClick={copy} aria-label={`Copy ${label.toLowerCase()}`}>
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}
