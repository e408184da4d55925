# A STAND-IN for the Azure ML batch-deployment runtime (the parallel-run driver that runs a scoring script on the
# compute cluster), used by the local batch endpoint stand-in (src/local/azureml-batch-standin.ts). It is not
# Azure's code: it does, on one machine and in one process, what "Author scoring scripts for batch deployments"
# says the runtime does:
#   - imports the scoring script as a module (its directory first on sys.path) and calls init() once;
#   - splits the input files into mini-batches of --mini-batch-size files, in the order given, and calls
#     run(mini_batch) with a list of file paths for each;
#   - output_action append_row: appends what each run() returns to the output file, no header ever (the docs:
#     DataFrame column names "are not included in the output file"), each element "as is":
#       * a list / tuple / numpy array: one line per element, str(element) (a string is written as itself;
#         complex values come out as their str(), which the docs warn is "hard to read");
#       * a pandas DataFrame: one line per row, the row's values joined by a single space, with CSV quoting of
#         values that hold a space, a quote or a newline. The docs do not name the delimiter (they only say the
#         file "may not be a regular CSV"); the space is this stand-in's choice, after the parallel-run step's
#         behaviour as commonly reported. Scoring scripts that need to be parsed back should return strings.
#   - exits 0 when every mini-batch succeeded; else exits 1 with the error on stderr, its message on the first line
#     (error_threshold -1 would tolerate failed mini-batches in Azure; this stand-in fails the job on the first).
# Environment variables given to this process (the deployment's environment_variables) reach the script as they
# are.
#
# Usage: python driver.py --script <score.py> --output <file> --mini-batch-size N <input files...>
import argparse
import csv
import importlib.util
import io
import os
import sys
import traceback


def _load(script):
    path = os.path.abspath(script)
    sys.path.insert(0, os.path.dirname(path))
    spec = importlib.util.spec_from_file_location("batch_scoring_script", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import the scoring script {script}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("init", "run"):
        if not callable(getattr(module, name, None)):
            raise AttributeError(f"the scoring script has no {name}() function")
    return module


def _rows(result):
    """The lines append_row writes for one run() result (without their newlines)."""
    if result is None:
        return []
    try:
        import pandas as pd  # only when the script returned something that might be a DataFrame
    except ImportError:  # pragma: no cover - the batch environment has pandas
        pd = None
    if pd is not None and isinstance(result, pd.DataFrame):
        buffer = io.StringIO()
        result.to_csv(buffer, sep=" ", header=False, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        text = buffer.getvalue()
        return [text[:-1]] if text else []  # one block: quoted values may hold newlines
    if isinstance(result, (str, bytes)):
        raise TypeError("run() must return a pandas DataFrame or a list, not a single string")
    return [item if isinstance(item, str) else str(item) for item in result]


def main(argv):
    parser = argparse.ArgumentParser(description="Azure ML batch runtime stand-in (append_row)")
    parser.add_argument("--script", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--mini-batch-size", type=int, default=10)
    parser.add_argument("inputs", nargs="*")
    args = parser.parse_args(argv)
    if args.mini_batch_size < 1:
        parser.error("--mini-batch-size must be at least 1")

    module = _load(args.script)
    module.init()
    files = [os.path.abspath(p) for p in args.inputs]
    with open(args.output, "a", encoding="utf-8", newline="") as out:
        for start in range(0, len(files), args.mini_batch_size):
            result = module.run(files[start : start + args.mini_batch_size])
            for line in _rows(result):
                out.write(line)
                out.write("\n")
            out.flush()
    shutdown = getattr(module, "shutdown", None)
    if callable(shutdown):
        shutdown()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except SystemExit:
        raise
    except BaseException as err:  # noqa: BLE001 - any failure of the script fails the job
        message = " ".join(str(err).split()) or type(err).__name__
        sys.stderr.write(f"{type(err).__name__}: {message}\n")
        traceback.print_exc(file=sys.stderr)
        sys.exit(1)
