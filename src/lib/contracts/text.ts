// Text rules shared by the contracts. A lone UTF-16 surrogate is a valid JavaScript string but not Unicode: the
// storage SDK cannot put it in a URL (encodeURIComponent throws) and Azure Table storage refuses it in a value.
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** C0 and C1 control characters and DEL. */
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

export const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text);
