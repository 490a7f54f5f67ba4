import * as ToggleGroup from '@radix-ui/react-toggle-group';
import type { ReactNode } from 'react';

/** A chip that is on or off, styled like the filter chips (Follow, a filter's "All"). */
export function PressChip({
  on,
  onPress,
  testId,
  className = '',
  children,
}: {
  on: boolean;
  onPress: () => void;
  testId: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={`log-chip ${className}`.trim()}
      aria-pressed={on}
      data-state={on ? 'on' : 'off'}
      onClick={onPress}
      data-testid={testId}
    >
      {children}
    </button>
  );
}

/**
 * One filter as chips: a chip per value, on or off, and an "All" chip that is on when no value
 * is picked (the filter then lets everything through) and clears the picks when pressed.
 */
export function LogFilterChips<T extends string>({
  label,
  values,
  picked,
  onChange,
  testId,
}: {
  label: string;
  values: readonly T[];
  picked: readonly T[];
  onChange: (picked: T[]) => void;
  testId: string;
}) {
  const all = picked.length === 0;
  return (
    <div className="log-chips" role="group" aria-label={label}>
      <span className="log-chips__label" aria-hidden="true">
        {label}
      </span>
      <PressChip on={all} onPress={() => onChange([])} testId={`${testId}-all`}>
        All
      </PressChip>
      <ToggleGroup.Root
        type="multiple"
        className="log-chips__values"
        aria-label={`${label}: only`}
        value={[...picked]}
        onValueChange={(value) => onChange(values.filter((v) => value.includes(v)))}
      >
        {values.map((value) => (
          <ToggleGroup.Item
            key={value}
            value={value}
            className="log-chip"
            data-testid={`${testId}-${value}`}
          >
            {value}
          </ToggleGroup.Item>
        ))}
      </ToggleGroup.Root>
    </div>
  );
}
