import type { EndpointName, ManifestKind, UsePart } from './model';
import { MEMBERSHIP_VARIABLE, predefinedVariable } from './variables';

/** Where a `$name` is used: the call and the part of it. A header goes with every call (endpoint undefined). */
export interface UseSite {
  kind?: ManifestKind;
  endpoint?: EndpointName;
  part: UsePart;
}

export type UnavailableCode =
  'items-unavailable' | 'list-id-unavailable' | 'membership-unavailable' | 'mapping-field-outside-items';

export interface Unavailable {
  code: UnavailableCode;
  message: string;
}

const BATCH_CALLS: ReadonlySet<string> = new Set(['addUsers', 'removeUsers', 'update']);

function itemsAt(name: string, site: UseSite): Unavailable | undefined {
  if (site.part === 'payload' && site.endpoint !== undefined && BATCH_CALLS.has(site.endpoint)) return undefined;
  const where = site.part === 'itemTemplate' ? 'an item template (it builds one element of $items)' : `a ${site.part}`;
  const call = site.endpoint === 'listCreation' ? 'the list creation call, which sends no users' : where;
  return {
    code: 'items-unavailable',
    message:
      `$${name} is the batch of users: it has a value only in the payload of add, remove and update ` +
      `calls, not in ${call}.`,
  };
}

function listIdAt(name: string, site: UseSite): Unavailable | undefined {
  if (site.kind === 'cohort-property') {
    return {
      code: 'list-id-unavailable',
      message: `$${name} is not available in a property-based cohort sync: there is no list.`,
    };
  }
  if (site.endpoint === 'listCreation') {
    return {
      code: 'list-id-unavailable',
      message:
        `$${name} is not available in the list creation call: the list does not exist yet. Amplitude reads the id ` +
        "from this call's response (listIdPath) and passes it to add and remove calls.",
    };
  }
  if (site.part === 'header' && site.kind === 'cohort-list') {
    return {
      code: 'list-id-unavailable',
      message:
        `$${name} in a header: headers go with every call, list creation included, where there is no ` + `list id yet.`,
    };
  }
  return undefined;
}

function membershipAt(name: string, site: UseSite): Unavailable | undefined {
  if (site.kind === 'cohort-property') return undefined;
  return {
    code: 'membership-unavailable',
    message:
      `$${name} exists only in property-based syncs. In a list-based sync the add and remove calls say ` +
      'whether users entered or left the cohort.',
  };
}

/**
 * Why `$name` has no value where it is used, or undefined when it has one. The checks report it and the
 * request builder refuses it: both ask here.
 */
export function unavailableAt(
  name: string,
  site: UseSite,
  mappingFields: ReadonlySet<string>,
): Unavailable | undefined {
  const canonical = predefinedVariable(name)?.name;
  if (canonical === 'items') return itemsAt(name, site);
  if (canonical === 'list_id') return listIdAt(name, site);
  if (canonical === MEMBERSHIP_VARIABLE) return membershipAt(name, site);
  if (canonical === undefined && mappingFields.has(name) && site.part !== 'itemTemplate') {
    return {
      code: 'mapping-field-outside-items',
      message:
        `$${name} is a mapping field: it holds one value per user, so it is used in the item template ` +
        '(each element of $items), not in a URL, header or payload.',
    };
  }
  return undefined;
}
