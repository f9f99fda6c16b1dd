# make-extra.R - produces the extra-*.csv fixtures and expected-extra.csv /
# expected-mrr.csv.  Run once by hand (Rscript make-extra.R in this folder);
# the tests only read its output.  Requires R's survival package.
library(survival)
set.seed(20240611)
rw <- function(n, beta, eta) eta * (-log(runif(n)))^(1 / beta)
mk <- function(t, f) data.frame(time = signif(t, 10), state = ifelse(f, "F", "S"))
sets <- list()
# Heavy ties: times rounded to whole units, 10% censored at random.
t <- round(rw(200, 1.8, 20)); t[t < 1] <- 1
c <- runif(200) < 0.1
sets[["extra-ties"]] <- mk(t, !c)
# 95% censoring: random censoring far earlier than failures.
t <- rw(400, 2.5, 1000); cen <- runif(400, 0, 500)
sets[["extra-censored95"]] <- mk(pmin(t, cen), t <= cen)
# Tiny scale and small shape.
t <- rw(60, 0.3, 1e-3); cen <- rw(60, 0.3, 3e-3)
sets[["extra-small"]] <- mk(pmin(t, cen), t <= cen)
# Huge scale and large shape.
t <- rw(80, 10, 1e9); cen <- rw(80, 10, 1.05e9)
sets[["extra-large"]] <- mk(pmin(t, cen), t <= cen)
# Many points.
t <- rw(5000, 1.2, 300); cen <- rw(5000, 1, 600)
sets[["extra-n5000"]] <- mk(pmin(t, cen), t <= cen)
# Two failures and suspensions.
sets[["extra-two"]] <- mk(c(3, 7, 9, 12, 15), c(TRUE, TRUE, FALSE, FALSE, FALSE))

out <- NULL
for (nm in names(sets)) {
  d <- sets[[nm]]
  write.csv(d, paste0(nm, ".csv"), row.names = FALSE, quote = FALSE)
  d <- read.csv(paste0(nm, ".csv"), colClasses = c("numeric", "character"))
  m <- survreg(Surv(time, state == "F") ~ 1, data = d, dist = "weibull",
               control = survreg.control(rel.tolerance = 1e-13, iter.max = 200))
  v <- vcov(m)
  out <- rbind(out, data.frame(dataset = nm, beta = sprintf("%.12g", 1 / m$scale),
    eta = sprintf("%.12g", exp(coef(m)[1])), loglik = sprintf("%.12g", m$loglik[2]),
    se_log_eta = sprintf("%.8g", sqrt(v[1, 1])), se_log_sigma = sprintf("%.8g", sqrt(v[2, 2]))))
}
write.csv(out, "expected-extra.csv", row.names = FALSE, quote = FALSE)

# Median-rank regression, written out independently of the C code:
# Johnson's adjusted ranks, Bernard's median ranks, both regressions.
mrr <- function(d) {
  d <- d[order(d$time, d$state != "F"), ]
  N <- nrow(d); prev <- 0; x <- c(); y <- c()
  for (i in seq_len(N)) {
    if (d$state[i] != "F") next
    rr <- N - i + 1
    rank <- (rr * prev + N + 1) / (rr + 1); prev <- rank
    x <- c(x, log(d$time[i])); y <- c(y, log(-log(1 - (rank - 0.3) / (N + 0.4))))
  }
  yx <- lm(y ~ x); xy <- lm(x ~ y)
  c(beta_yx = unname(coef(yx)[2]), eta_yx = unname(exp(-coef(yx)[1] / coef(yx)[2])),
    beta_xy = unname(1 / coef(xy)[2]), eta_xy = unname(exp(coef(xy)[1])), r2 = cor(x, y)^2)
}
mo <- NULL
for (nm in c("complete-30", "small-censored", "automotive", "ball-bearings", "extra-ties", "extra-two")) {
  r <- mrr(read.csv(paste0(nm, ".csv"), colClasses = c("numeric", "character")))
  mo <- rbind(mo, data.frame(dataset = nm, beta_yx = sprintf("%.12g", r[1]), eta_yx = sprintf("%.12g", r[2]),
    beta_xy = sprintf("%.12g", r[3]), eta_xy = sprintf("%.12g", r[4]), r2 = sprintf("%.12g", r[5])))
}
write.csv(mo, "expected-mrr.csv", row.names = FALSE, quote = FALSE)
