import { session } from '../api.js';
import { h, field } from '../dom.js';

export async function renderSignIn(view, { app }) {
  const key = h('input', { type: 'password', name: 'key', autocomplete: 'off', required: true, spellcheck: 'false', placeholder: 'lsk_…' });
  const error = h('p.form-error', { id: 'signin-error', role: 'alert' });
  const submit = h('button.primary', { type: 'submit' }, 'Sign in');
  const form = h('form.signin', {
    'aria-labelledby': 'signin-title',
    on: {
      submit: async (e) => {
        e.preventDefault();
        error.textContent = '';
        submit.disabled = true;
        try {
          const me = await session.signIn(key.value);
          await app.signedIn(me);
          app.status(`Signed in with key ${me.name || me.keyId}.`);
          app.afterSignIn();
        } catch (ex) {
          error.textContent = ex.message;
          key.focus();
        } finally {
          submit.disabled = false;
        }
      },
    },
  },
  h('h1', { id: 'signin-title' }, 'Sign in'),
  h('p', 'Paste an API key. ', h('code', 'leadscore apikey create'), ' makes one; the first start of the server printed an admin key. ',
    'The key stays in an HttpOnly cookie for this browser session and is never readable by scripts.'),
  app.signInMessage ? h('p.notice', app.signInMessage) : null,
  field('API key', key),
  error,
  submit);
  app.signInMessage = null;
  view.append(form);
  key.focus();
}
