/**
 * The learning-rate schedule, stepped after each epoch, as src/runtime/schedule.ts steps it (PyTorch's StepLR,
 * ExponentialLR, CosineAnnealingLR in closed form and ReduceLROnPlateau, after a linear warmup). Written out rather
 * than built from torch.optim.lr_scheduler because PyTorch's SequentialLR cannot follow a warmup with
 * ReduceLROnPlateau. Python source, written into every script as is.
 */
export const pySchedule = String.raw`
class Schedule:
    """lr_after(completed, watched): the learning rate after 'completed' epochs, given the loss watched after the
    last one (ReduceLROnPlateau only). A warmup of w epochs trains at lr0 * e / (w + 1) first."""

    def __init__(self, config, lr0, warmup):
        self.config, self.lr0, self.warmup = config, lr0, warmup
        self.lr = lr0 / (warmup + 1) if warmup > 0 else lr0
        self.best, self.bad_epochs = math.inf, 0

    def scheduled(self, epochs):
        config, lr0 = self.config, self.lr0
        if config is None:
            return lr0
        if config["op"] == "step":
            return lr0 * config["gamma"] ** math.floor(epochs / config["step_size"])
        if config["op"] == "exponential":
            return lr0 * config["gamma"] ** epochs
        if config["op"] == "cosine":
            return config["eta_min"] + (lr0 - config["eta_min"]) * (1 + math.cos(math.pi * epochs / config["t_max"])) / 2
        return self.lr

    def lr_after(self, completed, watched):
        if completed < self.warmup:
            self.lr = self.lr0 * (completed + 1) / (self.warmup + 1)
        elif self.config is not None and self.config["op"] == "reduce_on_plateau":
            if completed == self.warmup:
                self.lr = self.lr0
            else:
                self.plateau(watched)
        else:
            self.lr = self.scheduled(completed - self.warmup)
        return self.lr

    def plateau(self, loss):
        config = self.config
        if loss < self.best * (1 - config["threshold"]):
            self.best, self.bad_epochs = loss, 0
            return
        self.bad_epochs += 1
        if self.bad_epochs > config["patience"]:
            reduced = max(self.lr * config["factor"], config["min_lr"])
            if self.lr - reduced > 1e-8:
                self.lr = reduced
            self.bad_epochs = 0
`;
