import { useState, type MouseEvent } from 'react';
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import * as Tooltip from '@radix-ui/react-tooltip';
import { Check, Monitor, Moon, PanelLeftClose, PanelLeftOpen, Sun } from 'lucide-react';
import { useApp } from '../state/store-context.js';
import { usePendingApprovals } from '../state/approvals-store.js';
import { useTheme } from '../state/theme.js';
import { applyTheme, THEME_CHOICES, type ThemeChoice } from '../state/theme-choice.js';
import { VIEWS, type View } from '../state/view.js';
import { VIEW_ENTRIES } from '../views/registry.js';

const COLLAPSED_KEY = 'clawdbot.sidebar.collapsed';

function readCollapsed(): boolean {
  try {
    return localStorage.getItem(COLLAPSED_KEY) === '1';
  } catch {
    return false;
  }
}

const themeNames: Record<ThemeChoice, string> = {
  system: 'Follow the system',
  light: 'Light',
  dark: 'Dark',
};
const themeIcons: Record<ThemeChoice, typeof Sun> = { system: Monitor, light: Sun, dark: Moon };

/** How many requests wait beside a view's name (pairing and approvals), or 0. */
function useWaiting(): Partial<Record<View, number>> {
  const pairing = useApp((s) => s.pending?.length ?? 0);
  const approvals = usePendingApprovals().length;
  return { pairing, approvals };
}

/**
 * The sidebar: every view with its icon and name, the number waiting beside Pairing and
 * Approvals, the theme menu, and a button folding it to icons only (remembered in this
 * browser). Folded, each name stays the link's accessible name and shows as a tooltip.
 */
export function Sidebar() {
  const view = useApp((s) => s.view);
  const showView = useApp((s) => s.showView);
  const waiting = useWaiting();
  const [collapsed, setCollapsed] = useState(readCollapsed);
  const theme = useTheme();
  const ThemeIcon = themeIcons[theme];

  const toggle = (): void => {
    const next = !collapsed;
    setCollapsed(next);
    try {
      localStorage.setItem(COLLAPSED_KEY, next ? '1' : '0');
    } catch {
      // Not remembered, still folded for now.
    }
  };

  return (
    <Tooltip.Provider delayDuration={300}>
      <aside
        className={`sidebar${collapsed ? ' sidebar--collapsed' : ''}`}
        data-testid="sidebar"
        data-collapsed={collapsed ? 'true' : 'false'}
      >
        <div className="sidebar__brand">
          <span className="sidebar__logo" aria-hidden="true">
            C
          </span>
          <span className="sidebar__label sidebar__title">Clawdbot</span>
        </div>
        <nav aria-label="Views" className="sidebar__nav">
          {VIEWS.map((target) => {
            const entry = VIEW_ENTRIES[target];
            const Icon = entry.icon;
            const count = waiting[target] ?? 0;
            const link = (
              <a
                href={`#${target}`}
                className={`sidebar__link${view === target ? ' active' : ''}`}
                aria-current={view === target ? 'page' : undefined}
                data-testid={`nav-${target}`}
                onClick={(event: MouseEvent) => {
                  event.preventDefault();
                  showView(target);
                }}
              >
                <Icon aria-hidden="true" size={18} className="sidebar__icon" />
                <span className="sidebar__label">{entry.label}</span>
                {count > 0 && (
                  <span
                    className="nav-badge"
                    data-testid={`${target}-badge`}
                    aria-label={`${count} waiting`}
                  >
                    {count}
                  </span>
                )}
              </a>
            );
            return collapsed ? (
              <Tooltip.Root key={target}>
                <Tooltip.Trigger asChild>{link}</Tooltip.Trigger>
                <Tooltip.Portal>
                  <Tooltip.Content side="right" className="tooltip" sideOffset={6}>
                    {entry.label}
                    {count > 0 ? ` (${count} waiting)` : ''}
                  </Tooltip.Content>
                </Tooltip.Portal>
              </Tooltip.Root>
            ) : (
              <span key={target} className="sidebar__item">
                {link}
              </span>
            );
          })}
        </nav>
        <div className="sidebar__footer">
          <DropdownMenu.Root modal={false}>
            <DropdownMenu.Trigger asChild>
              <button
                type="button"
                className="sidebar__button"
                aria-label={`Theme: ${themeNames[theme]}`}
                data-testid="theme-menu"
              >
                <ThemeIcon aria-hidden="true" size={18} />
                <span className="sidebar__label">Theme</span>
              </button>
            </DropdownMenu.Trigger>
            <DropdownMenu.Portal>
              <DropdownMenu.Content className="menu" side="right" align="end" sideOffset={6}>
                <DropdownMenu.RadioGroup
                  value={theme}
                  onValueChange={(value) => {
                    const choice = THEME_CHOICES.find((c) => c === value);
                    if (choice) applyTheme(choice);
                  }}
                >
                  {THEME_CHOICES.map((choice) => (
                    <DropdownMenu.RadioItem
                      key={choice}
                      value={choice}
                      className="menu__item"
                      data-testid={`theme-${choice}`}
                    >
                      <DropdownMenu.ItemIndicator className="menu__indicator">
                        <Check aria-hidden="true" size={14} />
                      </DropdownMenu.ItemIndicator>
                      {themeNames[choice]}
                    </DropdownMenu.RadioItem>
                  ))}
                </DropdownMenu.RadioGroup>
              </DropdownMenu.Content>
            </DropdownMenu.Portal>
          </DropdownMenu.Root>
          <button
            type="button"
            className="sidebar__button"
            aria-expanded={!collapsed}
            data-testid="sidebar-toggle"
            onClick={toggle}
          >
            {collapsed ? (
              <PanelLeftOpen aria-hidden="true" size={18} />
            ) : (
              <PanelLeftClose aria-hidden="true" size={18} />
            )}
            <span className="sidebar__label">{collapsed ? 'Show names' : 'Hide names'}</span>
          </button>
        </div>
      </aside>
    </Tooltip.Provider>
  );
}
