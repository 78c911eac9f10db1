/** One `<SubjectConfirmation>` of an assertion, as far as the Web SSO profile needs it. */
export interface SubjectConfirmation {
  readonly method: string | undefined;
  readonly inResponseTo: string | undefined;
  readonly recipient: string | undefined;
  readonly notBefore: string | undefined;
  readonly notOnOrAfter: string | undefined;
}

/** A node of xml2js output (node-saml parses with `explicitCharkey`, prefixes stripped). */
type XmlNode = Readonly<Record<string, unknown>>;

/**
 * Read access to the assertion node-saml verified, built from `profile.getAssertion()`:
 * node-saml hands that object over only after it parsed exactly the bytes the signature
 * covers, so everything read here was signed by the IdP. Only the fields the Web SSO
 * profile checks and the identity mapping need are exposed; missing ones read as undefined.
 */
export class SignedAssertion {
  readonly #node: XmlNode;

  constructor(parsed: unknown) {
    const assertion = isNode(parsed) ? parsed.Assertion : undefined;
    if (!isNode(assertion)) throw new TypeError('not a parsed SAML assertion');
    this.#node = assertion;
  }

  /** The assertion's `ID`, the key of replay protection. */
  get id(): string | undefined {
    return attribute(this.#node, 'ID');
  }

  get issueInstant(): string | undefined {
    return attribute(this.#node, 'IssueInstant');
  }

  get issuer(): string | undefined {
    return text(first(this.#node, 'Issuer'));
  }

  /** The NameID's value, or undefined for an empty or encrypted one. */
  get nameId(): string | undefined {
    return text(first(first(this.#node, 'Subject'), 'NameID'));
  }

  get nameIdFormat(): string | undefined {
    return attribute(first(first(this.#node, 'Subject'), 'NameID'), 'Format');
  }

  /** Every `<SubjectConfirmation>` with its (first) `<SubjectConfirmationData>`. */
  get subjectConfirmations(): SubjectConfirmation[] {
    return children(first(this.#node, 'Subject'), 'SubjectConfirmation').map((confirmation) => {
      const data = first(confirmation, 'SubjectConfirmationData');
      return {
        method: attribute(confirmation, 'Method'),
        inResponseTo: attribute(data, 'InResponseTo'),
        recipient: attribute(data, 'Recipient'),
        notBefore: attribute(data, 'NotBefore'),
        notOnOrAfter: attribute(data, 'NotOnOrAfter'),
      };
    });
  }

  /** `<Conditions NotOnOrAfter>` (node-saml refuses assertions with several Conditions). */
  get conditionsNotOnOrAfter(): string | undefined {
    return attribute(first(this.#node, 'Conditions'), 'NotOnOrAfter');
  }

  /** The AuthnContextClassRef of every `<AuthnStatement>`, in order. */
  get authnContextClassRefs(): string[] {
    return children(this.#node, 'AuthnStatement')
      .map((statement) => text(first(first(statement, 'AuthnContext'), 'AuthnContextClassRef')))
      .filter((ref): ref is string => ref !== undefined);
  }

  get hasAuthnStatement(): boolean {
    return children(this.#node, 'AuthnStatement').length > 0;
  }

  /**
   * The text values of the attribute(s) with this `Name`, across all attribute
   * statements. Matched on `Name` only: `FriendlyName` is a display hint, not unique.
   */
  attributeValues(name: string): string[] {
    return children(this.#node, 'AttributeStatement')
      .flatMap((statement) => children(statement, 'Attribute'))
      .filter((item) => attribute(item, 'Name') === name)
      .flatMap((item) => children(item, 'AttributeValue'))
      .map(text)
      .filter((value): value is string => value !== undefined);
  }
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Child elements by local name (xml2js always gives arrays, text-only ones as `{ _ }`). */
function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node === undefined ? undefined : node[name];
  return Array.isArray(value) ? value.filter(isNode) : [];
}

function first(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return children(node, name)[0];
}

function attribute(node: XmlNode | undefined, name: string): string | undefined {
  const attributes = node?.$;
  if (!isNode(attributes)) return undefined;
  const value = attributes[name];
  return typeof value === 'string' ? value : undefined;
}

/** An element's own text, trimmed; undefined when it has none. */
function text(node: XmlNode | undefined): string | undefined {
  const value = node?._;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
