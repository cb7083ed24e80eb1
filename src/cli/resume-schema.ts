import { Ajv, type ErrorObject } from "ajv";
import type { RandomState } from "../runtime/prng.ts";
import type { TrainProgress } from "../runtime/train.ts";

/**
 * What a checkpoint holds to resume a run, besides tensors (`resume/parameters`, `resume/best_parameters`,
 * `resume/optimizer/<state>`): stored as JSON in `__metadata__.resume` and checked like any other file content.
 */
export interface ResumeMetadata {
  readonly version: 1;
  readonly progress: TrainProgress;
  /** The optimizer's step count (its arrays are tensors). */
  readonly optimizerStep: number;
  /** The run's generator (shuffling) and the module's dropout generator. */
  readonly random: { readonly run: RandomState; readonly dropout: readonly number[] };
}

const finite = { type: "number" } as const;
const count = { type: "integer", minimum: 0, maximum: 4294967295 } as const;
const word = { type: "integer", minimum: 0, maximum: 4294967295 } as const;

const schema = {
  type: "object",
  additionalProperties: false,
  required: ["version", "progress", "optimizerStep", "random"],
  properties: {
    version: { const: 1 },
    optimizerStep: count,
    progress: {
      type: "object",
      additionalProperties: false,
      required: ["epoch", "schedule", "stoppedEarly"],
      properties: {
        epoch: count,
        firstLoss: finite,
        best: { type: "object", additionalProperties: false, required: ["loss", "epoch"], properties: { loss: finite, epoch: count } },
        schedule: {
          type: "object",
          additionalProperties: false,
          required: ["lr", "best", "badEpochs"],
          // `best` is Infinity before the plateau schedule has seen a loss: stored as null
          properties: { lr: { type: "number", minimum: 0 }, best: { type: ["number", "null"] }, badEpochs: count },
        },
        stoppedEarly: { type: "boolean" },
      },
    },
    random: {
      type: "object",
      additionalProperties: false,
      required: ["run", "dropout"],
      properties: {
        run: {
          type: "object",
          additionalProperties: false,
          required: ["words"],
          properties: { words: { type: "array", items: word, minItems: 4, maxItems: 4 }, spareNormal: finite },
        },
        dropout: { type: "array", items: word, maxItems: 64 },
      },
    },
  },
} as const;

/** Built once: a pure function of the schema. */
const validate = new Ajv({ allErrors: true, strict: true, strictNumbers: true, allowUnionTypes: true }).compile(schema);

/** JSON has no Infinity: the plateau schedule's "no best yet" travels as null. */
export function resumeJson(metadata: ResumeMetadata): string {
  const { schedule } = metadata.progress;
  return JSON.stringify({ ...metadata, progress: { ...metadata.progress, schedule: { ...schedule, best: Number.isFinite(schedule.best) ? schedule.best : null } } });
}

/** Parses and checks `__metadata__.resume`; problems are sentences naming the offending field. */
export function parseResume(text: string): { resume?: ResumeMetadata; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problems: ["`resume` is not valid JSON"] };
  }
  if (!validate(value)) return { problems: (validate.errors ?? []).slice(0, 10).map(describe) };
  const stored = value as ResumeMetadata & { progress: { schedule: { best: number | null } } };
  const best = stored.progress.schedule.best ?? Infinity;
  return { resume: { ...stored, progress: { ...stored.progress, schedule: { ...stored.progress.schedule, best } } }, problems: [] };
}

function describe(error: ErrorObject): string {
  const path = error.instancePath.replace(/^\//, "").replaceAll("/", ".");
  return `\`resume${path === "" ? "" : `.${path}`}\` ${error.message ?? "is invalid"}`;
}
