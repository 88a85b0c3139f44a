/**
 * `rk.nn`: every export of @rnnkit/nn (modules, recurrent layers, `init`, `utils`), plus the
 * loss classes of @rnnkit/optim, so `new rk.nn.CrossEntropyLoss()` works as in torch.
 */
export * from "@rnnkit/nn";
