// Small DOM helpers for the console: elements built with properties (never markup strings, never style attributes).

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/**
 * el('button', { class: 'secondary', type: 'button', onclick: fn, 'aria-label': 'x' }, 'text', child...)
 * Keys starting with "on" become listeners; `class`, `text`, `hidden`, `value`, `checked`, `disabled` set properties; the rest attributes.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = String(value);
    else if (['hidden', 'value', 'checked', 'disabled', 'htmlFor'].includes(name)) node[name] = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A labelled input: returns [label, input]. */
export function field(id, label, props = {}) {
  const rest = { ...props };
  delete rest.tag;
  return [el('label', { for: id, text: label }), el(props.tag || 'input', { id, name: id, ...rest })];
}

export function say(node, text, kind) {
  node.textContent = text;
  node.className = `message ${kind || ''}`.trim();
}

export function badge(text, kind) {
  return el('span', { class: `badge ${kind}`, text });
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
export function formatTime(iso) {
  return iso ? timeFormat.format(new Date(iso)) : '—';
}

export function formatCountdown(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function signed(value) {
  return value > 0 ? `+${value}` : String(value);
}

/**
 * Runs `task` now and every `intervalMs` while started; a run never overlaps the previous one, so a slow server
 * makes refreshes rarer instead of piling them up.
 */
export function poller(task, intervalMs) {
  let timer = null;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await task();
    } finally {
      running = false;
    }
  };
  return {
    start() {
      if (timer !== null) return;
      void tick();
      timer = setInterval(tick, intervalMs);
    },
    stop() {
      clearInterval(timer);
      timer = null;
    },
    now: tick,
  };
}

/** Puts text on the clipboard; false when the browser refuses (the text stays selectable on the page). */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
