// The stopword package ships no types: each export is a list of lower-case stop words, named by an
// ISO 639-3 code (plus a few variants such as porBr), besides the removeStopwords helper.
declare module 'stopword' {
  const lists: Record<string, readonly string[] | undefined>;
  export = lists;
}
