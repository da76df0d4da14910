import { arrayAt, isObject, objectAt, stringAt, type JsonObject } from '../base/value';

/** One step of the setup instructions a customer follows on the source's page. */
export interface SetupStep {
  readonly text?: string;
  /** An image shown with the step, relative to the manifest. */
  readonly image?: string;
  /** The step shows the customer's project API key. */
  readonly showProjectApiKey: boolean;
}

/** The setup instructions: a subtitle, 5-8 steps, and an "additional resources" block. */
export interface SetupModel {
  readonly subtitle?: string;
  readonly steps: readonly SetupStep[];
  readonly additionalResources?: string;
}

/** What an event ingestion source declares: its partner id (HTTP API v2's `partner_id`) and its setup page. */
export interface IngestionModel {
  readonly partnerId?: string;
  /** Undefined when the manifest has no `setup` object. */
  readonly setup?: SetupModel;
}

function readSetup(setup: JsonObject): SetupModel {
  const steps = (arrayAt(setup, 'steps') ?? []).map((step): SetupStep => ({
    text: stringAt(step, 'text'),
    image: stringAt(step, 'image'),
    showProjectApiKey: isObject(step) && step.showProjectApiKey === true,
  }));
  return {
    subtitle: stringAt(setup, 'subtitle'),
    steps,
    additionalResources: stringAt(setup, 'additionalResources'),
  };
}

/** The ingestion parts of a manifest's value: tolerant of every shape a half-typed manifest can have. */
export function readIngestion(root: JsonObject): IngestionModel {
  const setup = objectAt(root, 'setup');
  return { partnerId: stringAt(root, 'partnerId'), setup: setup ? readSetup(setup) : undefined };
}
