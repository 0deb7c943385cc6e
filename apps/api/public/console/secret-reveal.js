// A secret shown once (a new API key, a webhook signing secret), with a copy button.
import { copyText, el } from './dom.js';

export function secretReveal(id, label, secret, note) {
  const status = el('span', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  const output = el('output', { id, class: 'secret mono', text: secret, 'aria-label': label });
  return el(
    'div',
    { class: 'secret-box' },
    el('p', {}, el('strong', { text: label }), ` — ${note}`),
    output,
    el(
      'div',
      { class: 'actions' },
      el('button', {
        type: 'button',
        class: 'secondary',
        text: 'Copy',
        'aria-label': `Copy ${label}`,
        onclick: async () => {
          status.textContent = (await copyText(secret)) ? 'Copied.' : 'The browser refused: select the text and copy it.';
        },
      }),
      status,
    ),
  );
}
