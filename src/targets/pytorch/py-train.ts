/**
 * The script's training loop, as src/runtime/train.ts runs it: mini-batches in order (or reshuffled with rnnc's
 * generator), the epoch loss as the mean of the mini-batch losses, the learning-rate schedule, divergence (a
 * non-finite loss or parameter, or a loss past divergence_factor × the first epoch's) restoring the weights from
 * before the step, and with validation data the best weights kept and early stopping after `patience` epochs.
 * Under torchrun every process takes its share of each global mini-batch (DistributedDataParallel averages the
 * gradients); losses are summed over the processes, so the numbers are the single-process ones.
 */
export const pyTrain = String.raw`
class Run:
    """Where this process trains: its rank among 'world' processes (1 without torchrun) and its device."""

    def __init__(self, device_choice):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        local = int(os.environ.get("LOCAL_RANK", "0"))
        cuda = device_choice == "cuda" or (device_choice == "auto" and torch.cuda.is_available())
        if cuda and not torch.cuda.is_available():
            raise UserError(CODES["distributed"], sys.argv[0], "--device cuda, but PyTorch sees no CUDA device", "use --device cpu, or run where a GPU is visible")
        self.device = torch.device("cuda", local) if cuda else torch.device("cpu")
        if cuda:
            torch.cuda.set_device(self.device)
        if self.world > 1:
            # one process per device: NCCL between GPUs, gloo between CPU processes
            dist.init_process_group("nccl" if cuda else "gloo")
            # every sum is reduced in this one tensor, which lives until finish(): see there
            self.reduced = torch.zeros(1, dtype=torch.float64, device=self.device)

    def share(self, start, size):
        """This process's contiguous part of the global mini-batch [start, start + size)."""
        base, extra = divmod(size, self.world)
        begin = start + self.rank * base + min(self.rank, extra)
        return begin, begin + base + (1 if self.rank < extra else 0)

    def sum(self, value):
        """A float summed over every process."""
        if self.world == 1:
            return value
        self.reduced.fill_(value)
        dist.all_reduce(self.reduced)
        return float(self.reduced[0])

    def finish(self):
        """Ends the process group, once the DistributedDataParallel wrapper is gone. Ending it joins gloo's worker
        threads while this thread holds the GIL (PyTorch 1.13); a worker that then released the last reference to a
        tensor Python had made (a temporary passed to all_reduce) would wait for the GIL, and both processes hung at
        exit. Python keeps its one reduction tensor alive until after the join, so no worker ever needs the GIL."""
        if self.world > 1:
            dist.destroy_process_group()

    def forward(self, model, data, begin, end):
        inputs = {name: data[name][begin:end].to(self.device) for name in INPUTS}
        return model(*[inputs[name] for name in FORWARD_INPUTS]), inputs[LOSS_TARGET]


def train_step(run, model, optimizer, data, start, size, tally=None):
    """One optimizer step on the global mini-batch [start, start + size); returns its mean loss. A classifier's
    targets the forward pass ranks right are counted into tally, as rnnc counts its training accuracy."""
    count = loss_count(data[LOSS_TARGET][start:start + size])
    begin, end = run.share(start, size)
    # DDP averages gradients over the processes, so each one's summed loss is scaled by world / count
    weight = run.world / count
    if begin == end:
        # more processes than samples: a sample weighted 0 keeps this process in step with the others
        begin, end, weight = start, start + 1, 0.0
    optimizer.zero_grad()
    prediction, target = run.forward(model, data, begin, end)
    total = loss_sum(prediction, target)
    if tally is not None and weight > 0:
        tally.add(prediction, target)
    (total * weight).backward()
    clip_gradients(model.parameters())
    optimizer.step()
    return run.sum(float(total.detach()) * weight / run.world)


def dataset_loss(run, model, data, tally=None):
    """The mean loss over every sample, each mini-batch's mean weighted by its size (evaluation mode)."""
    samples = len(data[LOSS_TARGET])
    model.eval()
    total = 0.0
    with torch.no_grad():
        for start in range(0, samples, TRAIN["batch_size"]):
            size = min(TRAIN["batch_size"], samples - start)
            count = loss_count(data[LOSS_TARGET][start:start + size])
            begin, end = run.share(start, size)
            if begin < end:
                prediction, target = run.forward(model, data, begin, end)
                total += float(loss_sum(prediction, target)) / count * size
                if tally is not None:
                    tally.add(prediction, target)
    model.train()
    return run.sum(total) / samples


def first_non_finite(model):
    for name, parameter in model.named_parameters():
        finite = torch.isfinite(parameter.detach()).reshape(-1)
        if not bool(finite.all()):
            return f"parameter '{name}' (element {int((~finite).nonzero()[0])})"
    return None


def train(run, model, trainer, optimizer, data, epochs, on_epoch, validation=None, shuffler=None):
    """Returns (records, kept epoch, stopped early, divergence or None); the model then holds the kept weights."""
    schedule = Schedule(SCHEDULE, optimizer.param_groups[0]["lr"], TRAIN["warmup_epochs"])
    set_lr(optimizer, schedule.lr)
    samples = len(data[LOSS_TARGET])
    records, bound, best = [], None, {"loss": math.inf, "epoch": 0, "weights": None}
    for epoch in range(1, epochs + 1):
        lr = optimizer.param_groups[0]["lr"]
        batches = data if shuffler is None else shuffler.shuffled()
        losses, tally, val_tally = [], Tally(), Tally()
        for step, start in enumerate(range(0, samples, TRAIN["batch_size"]), 1):
            before = [p.detach().clone() for p in model.parameters()]
            loss = train_step(run, trainer, optimizer, batches, start, min(TRAIN["batch_size"], samples - start), tally)
            what = None
            if bound is not None and loss > bound:
                what = f"the loss grew to {loss:.4g}, over {TRAIN['divergence_factor']:g} x the first epoch's {records[0]['loss']:.4g}"
            elif not math.isfinite(loss):
                what = "the loss is not finite"
            else:
                bad = first_non_finite(model)
                what = None if bad is None else f"{bad} is not finite"
            if what is not None:
                with torch.no_grad():
                    for parameter, saved in zip(model.parameters(), before):
                        parameter.copy_(saved)
                return records, epoch - 1, False, (epoch, step, what)
            losses.append(loss)
        record = {"epoch": epoch, "loss": sum(losses) / len(losses), "lr": lr}
        if validation is not None:
            record["val_loss"] = dataset_loss(run, model, validation, val_tally)
        for key, counts in (("accuracy", tally), ("val_accuracy", val_tally)):
            value = counts.value(run)
            if value is not None:
                record[key] = value
        records.append(record)
        if epoch == 1 and record["loss"] > 0:
            bound = record["loss"] * TRAIN["divergence_factor"]
        on_epoch(record)
        set_lr(optimizer, schedule.lr_after(epoch, record.get("val_loss", record["loss"])))
        if validation is None:
            continue
        if record["val_loss"] < best["loss"]:
            best = {"loss": record["val_loss"], "epoch": epoch, "weights": [p.detach().clone() for p in model.parameters()]}
        elif TRAIN["patience"] is not None and epoch - best["epoch"] >= TRAIN["patience"]:
            restore(model, best["weights"])
            return records, best["epoch"], True, None
    if validation is not None and best["epoch"] > 0:
        restore(model, best["weights"])
        return records, best["epoch"], False, None
    return records, len(records), False, None


def set_lr(optimizer, lr):
    for group in optimizer.param_groups:
        group["lr"] = lr


def restore(model, weights):
    with torch.no_grad():
        for parameter, saved in zip(model.parameters(), weights):
            parameter.copy_(saved)


class Tally:
    """A classifier's scored targets and how many of them the logits rank first (accuracy_counts); nothing for
    regression. Summed over the processes when read."""

    def __init__(self):
        self.right, self.scored = 0, 0

    def add(self, prediction, target):
        counts = accuracy_counts(prediction.detach(), target)
        if counts is not None:
            self.right += int(counts[0])
            self.scored += int(counts[1])

    def value(self, run):
        scored = run.sum(float(self.scored))
        return None if scored == 0 else run.sum(float(self.right)) / scored


def format_epoch(record, epochs, log_format, real_data):
    """An epoch's line, as rnnc train prints it: accuracies for real data only (the seed's dummy-data lines stay)."""
    accuracy = record.get("accuracy") if real_data else None
    val_accuracy = record.get("val_accuracy") if real_data else None
    if log_format == "json":
        val = "" if "val_loss" not in record else f',"val_loss":{js_number(record["val_loss"])}'
        scores = ("" if accuracy is None else f',"accuracy":{js_number(accuracy)}') + ("" if val_accuracy is None else f',"val_accuracy":{js_number(val_accuracy)}')
        return f'{{"epoch":{record["epoch"]},"epochs":{epochs},"loss":{js_number(record["loss"])}{val},"lr":{js_number(record["lr"])}{scores}}}'
    line = f"Epoch [{record['epoch']}/{epochs}], Loss: {record['loss']:.4f}"
    line = line if "val_loss" not in record else f"{line}, Val Loss: {record['val_loss']:.4f}"
    line = line if accuracy is None else f"{line}, Acc: {accuracy:.4f}"
    return line if val_accuracy is None else f"{line}, Val Acc: {val_accuracy:.4f}"
`;
