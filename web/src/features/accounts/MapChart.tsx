import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { GaugeChart, GraphChart } from 'echarts/charts';
import { TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { chartTheme } from '../../app/theme.ts';
import type { ComposeOption } from 'echarts/core';
import type { GaugeSeriesOption, GraphSeriesOption } from 'echarts/charts';
import type { TooltipComponentOption } from 'echarts/components';

// Only what the relationship map draws: the org chart (graph) and the coverage gauge.
// SVG keeps the node labels as text (crisp when zoomed, findable by assistive tools and tests).
echarts.use([GraphChart, GaugeChart, TooltipComponent, SVGRenderer]);

export type MapChartOption = ComposeOption<GraphSeriesOption | GaugeSeriesOption | TooltipComponentOption>;

/** An ECharts canvas that follows its container and reports clicks on graph nodes. */
export function MapChart({
  option,
  height,
  minWidth,
  label,
  onNodeClick,
  testId,
}: {
  option: MapChartOption;
  height: number;
  minWidth?: number;
  label: string;
  onNodeClick?: (data: unknown) => void;
  testId?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onNodeClick);
  useEffect(() => {
    clickRef.current = onNodeClick;
  }, [onNodeClick]);

  useEffect(() => {
    if (!el.current) return;
    const instance = echarts.init(el.current, chartTheme, { renderer: 'svg' });
    chart.current = instance;
    instance.on('click', (params) => {
      if (params.dataType === 'node') clickRef.current?.(params.data);
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  useEffect(() => {
    chart.current?.resize();
  }, [height, minWidth]);

  return (
    <div ref={el} role="img" aria-label={label} style={{ width: '100%', minWidth, height }} data-testid={testId} />
  );
}
