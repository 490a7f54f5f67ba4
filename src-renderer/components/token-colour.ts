/**
 * A design token's colour as a canvas needs it (tokens are CSS, light-dark() pairs a canvas
 * cannot parse; uPlot draws pixels): resolved by the browser on a probe inside `element`.
 */
export function tokenColour(element: Element, token: string): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${token})`;
  element.appendChild(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  return colour || 'gray';
}
