import type { ThemeConfig } from 'antd';

export const BRAND = '#1d4ed8';

/** People who ask their system for less motion get none: no zooming dialogs or sliding drawers. */
const reducedMotion =
  typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;

/**
 * The system's own CJK fonts first; the bundled Noto Sans SC (main.tsx) only where the machine
 * has none. Charts draw their text with the same list (chartTheme).
 */
export const FONT_FAMILY =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, 'Noto Sans SC Variable', sans-serif";

/** ECharts' default text font is plain sans-serif, which shows no Chinese on a machine without CJK fonts. */
export const chartTheme = { textStyle: { fontFamily: FONT_FAMILY } };

export const theme: ThemeConfig = {
  token: {
    motion: !reducedMotion,
    colorPrimary: BRAND,
    borderRadius: 8,
    fontFamily: FONT_FAMILY,
  },
  components: {
    Layout: { headerBg: '#ffffff', siderBg: '#0f172a', headerHeight: 56, headerPadding: '0 16px' },
    Menu: { darkItemBg: '#0f172a', darkSubMenuItemBg: '#0f172a', darkItemSelectedBg: BRAND },
  },
};
