import type { PropertyType, PropertyValue } from "../../api/dfinery.js";
import { ARRAY_ELEMENT_TYPES, type ConvertContext, compileCell, scalarConverter } from "./cell.js";
import { EMPTY, Invalid, show } from "./invalid.js";

export interface ConstantSpec {
  readonly type: PropertyType;
  readonly split: string;
  readonly gender: boolean;
}

const YAML_FORM: Record<PropertyType, string> = {
  String: 'text (quote numbers: "007")',
  Long: "an integer, without quotes",
  Double: "a number, without quotes",
  Boolean: "true or false, without quotes",
  Date: "a date such as 2024-03-01",
  Datetime: "a date-time such as 2024-03-01T09:00:00+09:00",
  "Array of String": "a list of texts, such as [a, b]",
  "Array of Long": "a list of integers, such as [1, 2]",
  "Array of Double": "a list of numbers, such as [1.5, 2]",
};

function yamlKind(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return "text";
  return `a YAML ${typeof value}`;
}

/** Whether a YAML value is written in the type's own YAML form (what `value:` requires). */
function hasYamlForm(value: unknown, type: PropertyType): boolean {
  const element = ARRAY_ELEMENT_TYPES[type];
  if (element !== undefined) {
    return Array.isArray(value) && value.every((e) => hasYamlForm(e, element));
  }
  switch (type) {
    case "Long":
      return typeof value === "number" && Number.isInteger(value);
    case "Double":
      return typeof value === "number";
    case "Boolean":
      return typeof value === "boolean";
    default:
      return typeof value === "string";
  }
}

/**
 * Converts a value written in the mapping (`value:`, `default:`, a `values` target) once, at load
 * time. `strict` (for `value:`) requires the type's YAML form (`{value: 3, type: Long}`); otherwise
 * text is read like a cell (`default: "1,000"` for a Long). A String always needs YAML text, so
 * `007` written bare (a YAML number, 7) is not silently sent as "7".
 */
export function convertConstant(
  value: unknown,
  spec: ConstantSpec,
  ctx: ConvertContext,
  strict: boolean,
): PropertyValue | Invalid {
  const textOnly =
    spec.type === "String" || (spec.type === "Array of String" && Array.isArray(value));
  const needsYamlForm = strict || textOnly;
  if (needsYamlForm && !hasYamlForm(value, spec.type)) {
    return new Invalid(
      `${show(value)} is ${yamlKind(value)}; a ${spec.type} is written as ${YAML_FORM[spec.type]}`,
    );
  }
  if (ARRAY_ELEMENT_TYPES[spec.type] === undefined && Array.isArray(value)) {
    return new Invalid(`a list is not a ${spec.type}`);
  }
  if (spec.type === "String") return scalarConverter("String", ctx, spec.gender)(value);
  const cell = compileCell(
    { type: spec.type, transforms: [], split: spec.split, trim: true, gender: spec.gender },
    ctx,
  );
  const out = cell(value);
  if (out === EMPTY) return new Invalid("is empty (for no value, leave it out or use empty: null)");
  return out;
}
