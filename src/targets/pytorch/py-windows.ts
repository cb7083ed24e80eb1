/**
 * The script's windows, splits and preprocessing for the spec's `data` section, as src/data/windows.ts,
 * labelled-windows.ts, split.ts and statistics.ts compute them, in float64 like rnnc, so the stored statistics are
 * rnnc's to the last bit and the tensors rnnc's float32 values. Python source, written into scripts whose spec has a
 * CSV data section.
 */
export const pyWindows = String.raw`
def mean_std(values):
    """Mean and population standard deviation, two-pass, deviations scaled by a power of two (src/data/statistics.ts);
    a (near-)constant column gets std 1."""
    if not values:
        return 0.0, 1.0
    total, scale = 0, 0.0
    for value in values:
        total += value
        scale = max(scale, abs(value))
    mean = total / len(values)
    if scale == 0:
        return mean, 1.0
    unit = 2.0 ** math.ceil(math.log2(scale))
    squares = 0.0
    for value in values:
        squares += ((value - mean) / unit) ** 2
    std = unit * math.sqrt(squares / len(values))
    return mean, std if math.isfinite(std) and std > 1e-10 * scale else 1.0


def split_counts(total):
    """Windows per split, boundaries rounded cumulatively half up, so the counts add up to total."""
    split = DATA["split"]
    round_half_up = lambda x: min(total, math.floor(x + 0.5 + 1e-9))
    train_end = round_half_up(total * split["train"])
    if split["test"] == 0:
        validation_end = total
    elif split["validation"] == 0:
        validation_end = train_end
    else:
        validation_end = max(train_end, round_half_up(total * (split["train"] + split["validation"])))
    return {"train": train_end, "validation": validation_end - train_end, "test": total - validation_end}


def js_sorted(values):
    """Distinct strings in UTF-16 code-unit order, as JavaScript's < sorts them (Python's would be code points)."""
    return sorted(set(values), key=lambda text: text.encode("utf-16-be", "surrogatepass"))


def make_windows(table, shown):
    """(train, validation, test, preprocessing): window i reads (transformed) rows [i, i + window) and predicts row
    i + window - 1 + horizon; every statistic is fitted on the rows the training windows cover."""
    features, window, horizon, task = DATA["features"], DATA["window"], DATA["horizon"], DATA["task"]
    offset = 1 if DATA["transform"] == "difference" else 0
    total = table["rows"] - offset - window - horizon + 1
    if total < 1:
        raise UserError(CODES["too_few_rows"], shown, f"the table has {table['rows']} rows, too few for a single window: window {window} + horizon {horizon}{' + 1 for the difference' if offset else ''} needs {offset + window + horizon}", "use more rows, or a shorter window or horizon")
    counts = split_counts(total)
    for name in ("train", "validation", "test"):
        if DATA["split"][name] > 0 and counts[name] == 0:
            raise UserError(CODES["too_few_rows"], shown, f"the {name} split holds no window: {table['rows']} rows make {total} windows, and {DATA['split'][name]} of them rounds to 0", "use more rows, a shorter window or horizon, or a larger fraction for this split")

    def changes(levels):
        return levels if offset == 0 else [math.nan] + [levels[r] - levels[r - 1] for r in range(1, len(levels))]

    series = [changes(table["numeric"][name]) for name in features]
    last_training_target = offset + counts["train"] - 1 + window - 1 + horizon
    fitted = [mean_std(values[offset:last_training_target + 1]) if DATA["normalize"] == "standard" else (0, 1) for values in series]
    preprocessing = {"version": 1, "task": task, "features": list(features), "target": DATA["target"], "window": window, "horizon": horizon, "transform": DATA["transform"], "normalize": DATA["normalize"], "featureMean": [mean for mean, _ in fitted], "featureStd": [std for _, std in fitted]}
    last_row = lambda i: offset + i + window - 1

    if task == "classification":
        values = table["categorical"][DATA["target"]]
        labels = js_sorted(values)
        if len(labels) != DATA["classes"]:
            shown_labels = ", ".join(labels[:10]) + (", ..." if len(labels) > 10 else "")
            raise UserError(CODES["data_mismatch"], shown, f"the target column '{DATA['target']}' holds {len(labels)} classes ({shown_labels}), but the model predicts {DATA['classes']}", f"set out_features: {len(labels)} on the spec's last layer")
        preprocessing["labels"] = labels
        index = {label: i for i, label in enumerate(labels)}
        targets = lambda first, end: torch.tensor([index[values[last_row(i) + horizon]] for i in range(first, end)], dtype=torch.int64)
    else:
        levels = table["numeric"][DATA["target"]]

        def raw_targets(first, end):
            return [levels[last_row(i) + horizon] - (levels[last_row(i)] if offset else 0) for i in range(first, end)]

        mean, std = mean_std(raw_targets(0, counts["train"])) if DATA["normalize"] == "standard" else (0, 1)
        preprocessing["targetMean"], preprocessing["targetStd"] = mean, std
        targets = lambda first, end: torch.tensor([(raw - mean) / std for raw in raw_targets(first, end)], dtype=torch.float32)

    def split(first, end):
        """The windows [first, end) as the spec's inputs: x [count, window, features] float32, and the target."""
        x = [[[(series[f][last_row(i) - window + 1 + step] - fitted[f][0]) / fitted[f][1] for f in range(len(features))] for step in range(window)] for i in range(first, end)]
        return {DATA["feature_input"]: torch.tensor(x, dtype=torch.float32).reshape(end - first, window, len(features)), LOSS_TARGET: targets(first, end)}

    train_end, validation_end = counts["train"], counts["train"] + counts["validation"]
    return split(0, train_end), split(train_end, validation_end), split(validation_end, total), preprocessing

`;
