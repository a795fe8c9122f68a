// Settings and pairing in Arabic: not translated yet, so English stands in for every key.
// The file is here so that opening Settings on an Arabic phone finds one (a missing file
// is a failed request the browser reports, though useWords carries on without it).
export default {};
