import { describe, expect, it } from 'vitest';
import { stopWordsFor, wordCloud, wordsOf } from '../../src/charts/wordCloud.js';

describe('word cloud (spec §13.5)', () => {
  it('works the English example', () => {
    expect(wordCloud([{ value: 'The rain is heavy', language: 'eng' }, { value: 'heavy heavy rain', language: 'eng' }])).toEqual([
      { text: 'heavy', weight: 3 }, { text: 'rain', weight: 2 },
    ]);
  });

  it('drops nothing but one-letter words for a language without a stop-word list', () => {
    expect(stopWordsFor('kin').size).toBe(0);
    expect(wordCloud([{ value: "I think it's fine", language: 'kin' }])).toEqual([
      { text: 'think', weight: 1 }, { text: "it's", weight: 1 }, { text: 'fine', weight: 1 },
    ]);
    expect(wordCloud([{ value: "I think it's fine", language: null }]).map((w) => w.text)).toEqual(['think', "it's", 'fine']);
  });

  it('uses the stop words of each contact\'s own language, by ISO 639-2 code (either form)', () => {
    expect(stopWordsFor('fra').has('le')).toBe(true);
    expect(stopWordsFor('fre')).toBe(stopWordsFor('fra'));
    const words = wordCloud([{ value: 'le marché', language: 'fra' }, { value: 'le marché', language: 'eng' }]);
    expect(words).toEqual([{ text: 'marché', weight: 2 }, { text: 'le', weight: 1 }]);
  });

  it('splits on anything but letters, digits, underscores, apostrophes and hyphens, Unicode-aware', () => {
    expect(wordsOf('Water-point: BROKEN!! (since 2 days) über_alles… ۱۲ آب‌ها')).toEqual(['water-point', 'broken', 'since', 'days', 'über_alles', '۱۲', 'آب', 'ها']);
    expect(wordsOf('नमस्ते दुनिया')).toEqual(['नमस्ते', 'दुनिया']);
  });

  it('breaks ties by first appearance, keeps 50 words, skips null values and weighs grouped answers', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ value: `w${String(i).padStart(2, '0')}`, language: null }));
    const cloud = wordCloud([...many, { value: null, language: null }, { value: 'w59', language: null, answers: 3 }]);
    expect(cloud).toHaveLength(50);
    expect(cloud[0]).toEqual({ text: 'w59', weight: 4 });
    expect(cloud.slice(1, 4).map((w) => w.text)).toEqual(['w00', 'w01', 'w02']);
  });
});
