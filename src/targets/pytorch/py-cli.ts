/**
 * The script's command line: `train` with rnnc train's flags and output, single-process or under torchrun.
 * Python source, written into every script as is.
 */
export const pyCli = String.raw`
def load_init(model, path):
    """Weights by state_dict name, checked by names and shapes; rnnc's resume state (resume/...) is not weights."""
    tensors, metadata = read_safetensors(path)
    tensors = {name: tensor for name, tensor in tensors.items() if not name.startswith("resume/")}
    expected = model.state_dict()
    for name, value in expected.items():
        tensor = tensors.get(name)
        if tensor is None:
            raise UserError(CODES["checkpoint_mismatch"], path, f"the weights have no tensor '{name}'", f"expected: {', '.join(expected)}")
        if list(tensor.shape) != list(value.shape) or not tensor.is_floating_point():
            raise UserError(CODES["checkpoint_mismatch"], path, f"'{name}' has shape {list(tensor.shape)} ({tensor.dtype}), but the spec needs {list(value.shape)} floats", "the weights were saved from a different model")
        if not bool(torch.isfinite(tensor.to(torch.float32)).all()):
            raise UserError(CODES["non_finite_weights"], path, f"'{name}' holds a value that is not finite as float32", "these weights cannot be trained from")
    extra = [name for name in tensors if name not in expected]
    if extra:
        raise UserError(CODES["checkpoint_mismatch"], path, f"the weights hold {', '.join(extra[:5])}, which this model does not have", f"expected: {', '.join(expected)}")
    model.load_state_dict({name: tensor.to(torch.float32) for name, tensor in tensors.items()})
    return metadata


def train_command(args):
    run = Run(args.device)
    inputs = [("spec's script", sys.argv[0]), ("--data file", args.data), ("--init file", args.init)]
    if DATA_SECTION == "csv" and args.data is None:
        inputs.append(("CSV", spec_csv(args.csv)[0]))
    if args.save is not None:
        check_save_path(args.save, inputs)
    torch.manual_seed(TRAIN["seed"])
    model = Model()
    if args.init is not None:
        load_init(model, args.init)
    random = Random(TRAIN["seed"])
    skip_init_draws(random)
    validation, preprocessing = None, None
    if args.data is not None:
        data = load_data(args.data)
    elif DATA_SECTION is not None:
        data, validation, preprocessing = spec_data(args)
    else:
        data = dummy_data(random)
    model.to(run.device)
    # dropout draws differ between processes (each its own seed), as they would in any data-parallel run
    torch.manual_seed(TRAIN["seed"] + run.rank)
    trainer = model
    if run.world > 1:
        trainer = nn.parallel.DistributedDataParallel(model, device_ids=[run.device.index] if run.device.type == "cuda" else None, find_unused_parameters=UNUSED_PARAMETERS)
    optimizer = make_optimizer(model.parameters())
    epochs = args.epochs or TRAIN["epochs"]
    shuffler = Shuffler(data, random) if TRAIN["shuffle"] else None
    log = (lambda line: print(line, flush=True)) if run.rank == 0 else (lambda line: None)
    records, kept, stopped, divergence = train(run, model, trainer, optimizer, data, epochs, lambda record: log(format_epoch(record, epochs, args.log_format, args.data is not None or DATA_SECTION == "csv")), validation, shuffler)
    if stopped:
        log(f'{{"event":"early_stop","best_epoch":{kept}}}' if args.log_format == "json" else f"Stopped early; keeping the weights of epoch {kept} (best validation loss)")
    if args.save is not None and run.rank == 0:
        metadata = {"format": "pt", "generator": GENERATOR, "model": MODEL_NAME, "architecture_sha256": ARCHITECTURE_SHA256, "spec_sha256": SPEC_SHA256, "epoch": str(kept)}
        if preprocessing is not None:
            metadata["preprocessing"] = js_json(preprocessing)
        write_safetensors(args.save, list(model.state_dict().items()), metadata)
    # the wrapper first (it holds the process group), then the group, while run's tensors are alive: Run.finish
    del trainer
    run.finish()
    if divergence is not None:
        epoch, step, what = divergence
        raise UserError(CODES["diverged"], sys.argv[0], f"training diverged at epoch {epoch}, step {step}: {what}", "lower the learning rate, clip the gradients (train.clip_grad_norm) or normalise the data; --save keeps the last good weights")
    return 0


def positive_integer(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("expected a positive integer")
    return int(text)


def main(argv):
    parser = argparse.ArgumentParser(prog=os.path.basename(sys.argv[0]), description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    train_parser = commands.add_parser("train", help="train, printing a line per epoch as rnnc train does")
    train_parser.add_argument("--init", metavar="W.safetensors", help="start from these weights (state_dict names) instead of PyTorch's default init")
    train_parser.add_argument("--data", metavar="D.safetensors", help="training data: one tensor per spec input, [N, ...]; default: the spec's data section, else the seed's dummy data")
    if DATA_SECTION == "csv":
        train_parser.add_argument("--csv", metavar="FILE.csv", help="read the spec's data section from this CSV instead of its data.csv")
    train_parser.add_argument("--epochs", type=positive_integer, help="override the spec's epoch count")
    train_parser.add_argument("--save", metavar="W.safetensors", help="write the trained weights (atomically), with rnnc's metadata")
    train_parser.add_argument("--log-format", choices=["text", "json"], default="text", help="per-epoch log lines")
    train_parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto", help="where to train (auto: a GPU when PyTorch sees one)")
    args = parser.parse_args(argv)
    try:
        return train_command(args)
    except UserError as error:
        error.report()
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
`;
