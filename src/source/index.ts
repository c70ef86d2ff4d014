export { SUPPORTED_ENCODINGS } from "./decode.js";
export { detectFormat, readSource } from "./read.js";
export type {
  SourceFormat,
  SourceInvalid,
  SourceItem,
  SourceOptions,
  SourceRow,
} from "./types.js";
