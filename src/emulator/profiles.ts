/**
 * The unified profiles the identities endpoints build: each links the identifiers of one person,
 * at most one value per identifier field. Pure and in memory; kept whatever `remember` says, since
 * answers depend on it. Where the guide is silent (see also api/identities.ts):
 *
 *  - link (`/api/v1/identities`): the profiles holding any of the identity's identifiers are found.
 *    None → a new profile of those identifiers (one identifier is enough). One → the identity's
 *    identifiers are set on it: a new field is added, a field with another value takes the new
 *    value (the old one then names nobody), fields the identity leaves out are kept. Two or more →
 *    refused (40001), nothing changes.
 *  - remove (`/api/v1/identities/delete`): the one profile holding any of the identity's identifiers
 *    is dropped. The person erased is that profile's identifiers together with the identity's own
 *    (the client says they are one person); with no profile, the identity's own. Two profiles →
 *    refused (40001), nothing removed. Nobody known → accepted, nothing removed (idempotent).
 *  - Only the identities endpoint links: a profile or events request is kept with its own identity
 *    and belongs to the person whose identifiers it shares (`sharesIdentifier`).
 *  - An empty-string identifier names nothing: it links and matches nothing.
 */

import { IDENTITY_FIELDS, type Identity, type IdentityField } from "../api/dfinery.js";
import { identifiersOf } from "../api/identities.js";

interface Profile {
  readonly identity: Partial<Record<IdentityField, string>>;
}

/** The one profile an identity names (undefined: none), or why it names two. */
type Found = { readonly profile: Profile | undefined } | { readonly problem: string };

/** Identifiers of one person; a field may appear with two values (a profile's and a request's). */
export type Identifiers = readonly (readonly [IdentityField, string])[];

export type Removal = { readonly person: Identifiers } | { readonly problem: string };

/** True when `identity` names one of `person`'s identifiers (same field, same non-empty value). */
export function sharesIdentifier(identity: Identity, person: Identifiers): boolean {
  return person.some(([field, value]) => identity[field] === value);
}

export class ProfileRegistry {
  readonly #index = new Map<IdentityField, Map<string, Profile>>(
    IDENTITY_FIELDS.map((field) => [field, new Map()]),
  );
  readonly #profiles = new Set<Profile>();

  /** Creates or updates the profile of `identity`; returns the problem when it names two. */
  link(identity: Identity): string | undefined {
    const found = this.#find(identity);
    if ("problem" in found) return found.problem;
    let profile = found.profile;
    if (profile === undefined) {
      profile = { identity: {} };
      this.#profiles.add(profile);
    }
    for (const [field, value] of identifiersOf(identity)) {
      const index = this.#field(field);
      const old = profile.identity[field];
      if (old !== undefined) index.delete(old);
      profile.identity[field] = value;
      index.set(value, profile);
    }
    return undefined;
  }

  /** Drops the profile `identity` names, if any, and says whose data is to be erased. */
  remove(identity: Identity): Removal {
    const found = this.#find(identity);
    if ("problem" in found) return found;
    const { profile } = found;
    const named = identifiersOf(identity);
    if (profile === undefined) return { person: named };
    this.#profiles.delete(profile);
    const linked = identifiersOf(profile.identity);
    for (const [field, value] of linked) this.#field(field).delete(value);
    return { person: [...linked, ...named.filter(([f, v]) => profile.identity[f] !== v)] };
  }

  /** The identifiers linked with `field` = `value`; undefined when no profile holds it. */
  profileOf(field: IdentityField, value: string): Identity | undefined {
    const profile = this.#field(field).get(value);
    return profile === undefined ? undefined : ordered(profile.identity);
  }

  /** Every profile's identifiers, in the order the profiles were created. */
  list(): Identity[] {
    return [...this.#profiles].map((profile) => ordered(profile.identity));
  }

  clear(): void {
    this.#profiles.clear();
    for (const index of this.#index.values()) index.clear();
  }

  #find(identity: Identity): Found {
    let first: { profile: Profile; field: IdentityField; value: string } | undefined;
    for (const [field, value] of identifiersOf(identity)) {
      const profile = this.#field(field).get(value);
      if (profile === undefined || profile === first?.profile) continue;
      if (first === undefined) {
        first = { profile, field, value };
        continue;
      }
      return {
        problem:
          `identity names two profiles: ${first.field} ${first.value} is on one, ` +
          `${field} ${value} on another`,
      };
    }
    return { profile: first?.profile };
  }

  #field(field: IdentityField): Map<string, Profile> {
    return this.#index.get(field) as Map<string, Profile>;
  }
}

/** A copy with the fields in IDENTITY_FIELDS order, so listings read the same every time. */
function ordered(identity: Identity): Identity {
  return Object.fromEntries(identifiersOf(identity));
}
