/**
 * An event's or an item's property drafted from one column: the standard `df_` property its header
 * means, when the sample's cells read as that property's type, else a property named after the
 * header (a TODO_ name when the header is no valid name), typed as infer.ts reads the cells.
 */
import type { PropertyType } from "../../api/dfinery.js";
import { propertyName } from "../draft.js";
import { type ColumnGuess, inferColumn } from "../infer.js";
import { INFER_ZONE } from "./event-time.js";
import { labelOf, meaningOf } from "./words.js";

export interface DraftProperty {
  readonly name: string;
  readonly column: string;
  /** undefined: every sample cell is empty (a comment, not a rule). */
  readonly guess: ColumnGuess | undefined;
  readonly evidence: string;
  /** The name stands for one registered in the console. */
  readonly todo: boolean;
}

/** Which standard properties a type may be read as: Long cells are Doubles too. */
const FITS: Readonly<Record<string, readonly PropertyType[]>> = {
  String: ["String", "Long", "Double", "Boolean"],
  Double: ["Long", "Double"],
  Long: ["Long"],
};

export class PropertyDrafts {
  readonly #used = new Set<string>();
  readonly #standard = new Set<string>();

  /** `generated`: the columns' names were made by init (a headerless file): TODO_ names. */
  constructor(
    readonly words: readonly (readonly [RegExp, string])[],
    readonly types: Readonly<Record<string, PropertyType>>,
    readonly generated = false,
  ) {}

  /** A standard name is taken by an expression, not a column (a sum of line totals). */
  take(name: string): void {
    this.#standard.add(name);
    this.#used.add(name);
  }

  /** `note`: what the comment must add (a value also found elsewhere). */
  draft(column: string, cells: readonly unknown[], index: number, note?: string): DraftProperty {
    const drafted = this.#draft(column, cells, index);
    return note === undefined ? drafted : { ...drafted, evidence: `${drafted.evidence}; ${note}` };
  }

  #draft(column: string, cells: readonly unknown[], index: number): DraftProperty {
    const guess = inferColumn(column, cells, INFER_ZONE);
    if (guess === undefined) {
      return { name: column, column, guess, evidence: "empty in every sample row", todo: false };
    }
    const standard = meaningOf(column, this.words, this.#standard);
    const type = standard === undefined ? undefined : this.types[standard];
    if (standard !== undefined && type !== undefined) {
      if ((FITS[type] ?? []).includes(guess.type) && guess.values === undefined) {
        this.take(standard);
        const { format: _format, suggest: _suggest, ...rest } = guess;
        return {
          name: standard,
          column,
          guess: { ...rest, type },
          evidence: `${guess.evidence}; its name means DFINERY's ${standard} (${type})`,
          todo: false,
        };
      }
      const named = this.#named(column, index);
      return {
        ...named,
        column,
        guess,
        evidence: `${guess.evidence}; its name means ${standard}, but its cells are no ${type}`,
      };
    }
    const named = this.#named(column, index);
    return { ...named, column, guess, evidence: guess.evidence };
  }

  /** A key/value pair's key names its property (`page_title`), else the whole column does. */
  #named(column: string, index: number) {
    const name = column.includes("[key=") ? labelOf(column) : column;
    return propertyName(name, index, this.#used, this.generated);
  }
}
