/** `distributed.py`: the process group (env:// as torchrun sets it, or a local --spawn launcher) and the collectives train.py needs. */
export const DISTRIBUTED_PY = String.raw`"""Process-group set-up for DistributedDataParallel.

Ranks meet through the standard env:// rendezvous (MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE,
LOCAL_RANK), which torchrun sets; the backend is nccl when CUDA is available and gloo on CPUs.
Without those variables the script runs as one plain process (no process group). --spawn N
starts N local ranks itself, for machines whose torchrun does not work.
"""
import os
import socket

import torch
import torch.distributed as dist


class Dist:
    """This process's place in the job: rank, world size, device."""

    def __init__(self, rank, world, device):
        self.rank = rank
        self.world = world
        self.device = device
        self.is_main = rank == 0


def _env_int(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"train.py: environment variable {name}={raw!r} is not an integer") from None


def setup(force_cpu=False):
    """Joins the process group described by the environment (if any) and picks the device and backend."""
    world = _env_int("WORLD_SIZE", 1)
    rank = _env_int("RANK", 0)
    local_rank = _env_int("LOCAL_RANK", rank)
    if world < 1 or not 0 <= rank < world:
        raise SystemExit(f"train.py: RANK={rank} WORLD_SIZE={world} do not describe a rank of the job")
    use_cuda = torch.cuda.is_available() and not force_cpu
    if use_cuda:
        device = torch.device("cuda", local_rank % torch.cuda.device_count())
        torch.cuda.set_device(device)
    else:
        device = torch.device("cpu")
    if world > 1:
        for name in ("MASTER_ADDR", "MASTER_PORT"):
            if name not in os.environ:
                raise SystemExit(f"train.py: WORLD_SIZE={world} but {name} is not set (torchrun sets it; see README.md)")
        dist.init_process_group("nccl" if use_cuda else "gloo", init_method="env://", rank=rank, world_size=world)
    return Dist(rank, world, device)


def teardown(d):
    if d.world > 1:
        dist.destroy_process_group()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spawned(index, main, args, world):
    os.environ.update(RANK=str(index), LOCAL_RANK=str(index), WORLD_SIZE=str(world), LOCAL_WORLD_SIZE=str(world))
    main(args)


def launch(main, args):
    """main(args) in this process, or in args.spawn local ranks (env:// on 127.0.0.1) when asked."""
    if args.spawn > 1:
        if "RANK" in os.environ:
            raise SystemExit("train.py: --spawn starts its own ranks; do not combine it with torchrun or RANK/WORLD_SIZE")
        os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
        os.environ.setdefault("MASTER_PORT", str(free_port()))
        torch.multiprocessing.spawn(_spawned, args=(main, args, args.spawn), nprocs=args.spawn, join=True)
    else:
        main(args)


def all_mean(value, d):
    """The mean over ranks of a float (every rank gets it)."""
    if d.world == 1:
        return float(value)
    t = torch.tensor([float(value)], dtype=torch.float64, device=d.device)
    dist.all_reduce(t)
    return float(t.item()) / d.world


def any_rank(flag, d):
    """True on every rank when flag is true on any (a Ctrl-C on one rank stops all at the same step)."""
    if d.world == 1:
        return bool(flag)
    t = torch.tensor([1.0 if flag else 0.0], device=d.device)
    dist.all_reduce(t)
    return bool(t.item() > 0)


def gather_batch(t, d, dim=1):
    """Every rank's slice of a batch-split tensor, concatenated along dim in rank order."""
    if d.world == 1:
        return t
    parts = [torch.empty_like(t) for _ in range(d.world)]
    dist.all_gather(parts, t.contiguous())
    return torch.cat(parts, dim)
`;
