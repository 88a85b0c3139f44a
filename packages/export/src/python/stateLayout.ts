/**
 * The keys of rnnkit's optimizer parameter groups and schedule states (torch 1.13's layout),
 * by the CLI's optimizer and schedule names. train.py writes exactly these, whatever torch it
 * runs on, because `rnnkit train --resume` checks them key by key.
 */
export const RNNKIT_GROUP_KEYS: Record<string, readonly string[]> = {
  sgd: ["foreach", "differentiable", "lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize", "params"],
  adam: ["foreach", "capturable", "differentiable", "fused", "lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "params"],
  adamw: ["foreach", "capturable", "lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "params"],
  rmsprop: ["foreach", "differentiable", "lr", "momentum", "alpha", "eps", "centered", "weight_decay", "maximize", "params"],
};

/** Entries a schedule adds to each parameter group (in torch and rnnkit alike). */
export const SCHEDULE_GROUP_KEYS: readonly string[] = ["initial_lr", "max_lr", "min_lr", "base_momentum", "max_momentum"];

/** The keys of each schedule's state dict in rnnkit. */
export const RNNKIT_SCHEDULE_KEYS: Record<string, readonly string[]> = {
  none: [],
  step: ["step_size", "gamma", "base_lrs", "last_epoch", "verbose", "_step_count", "_get_lr_called_within_step", "_last_lr"],
  cosine: ["T_max", "eta_min", "base_lrs", "last_epoch", "verbose", "_step_count", "_get_lr_called_within_step", "_last_lr"],
  onecycle: ["total_steps", "anneal_strategy", "cycle_momentum", "use_beta1", "base_lrs", "last_epoch", "verbose", "_step_count", "_get_lr_called_within_step", "_last_lr"],
  plateau: ["factor", "min_lrs", "patience", "verbose", "cooldown", "cooldown_counter", "mode", "threshold", "threshold_mode", "best", "num_bad_epochs", "mode_worse", "eps", "last_epoch", "_last_lr"],
};
