import { afterAll } from "vitest";
import { removeTemporaryDirectories } from "../helpers/temporary.ts";

// every test file's scratch folders go when the file is done (a full run used to leave thousands in /tmp)
afterAll(removeTemporaryDirectories);
