import { h } from '../dom.js';

export async function renderReview(view) {
  view.append(
    h('h1', 'Monthly review'),
    h('section.placeholder', { 'aria-labelledby': 'review-soon' },
      h('h2', { id: 'review-soon' }, 'Arrives with issue 9'),
      h('p', 'The monthly review compares scores with real outcomes: the score distribution of converted and not converted leads, ',
        'lift by decile, calibration, the low-score converters and high-score non-converters, and a proposal of rule and point ',
        'changes you can save as a draft model.'),
      h('p', 'The server does not compute it yet (issue 9), so this page shows nothing rather than made-up figures. ',
        'Until then, compare a draft with the published model on the ', h('a', { href: '#/models' }, 'Models'), ' page.')));
}
