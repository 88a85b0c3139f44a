/** `rk.optim`: optimizers (`SGD`, `Adam`, `AdamW`, `RMSprop`, `Adagrad`) and `lrScheduler`. */
export * from "@rnnkit/optim";
