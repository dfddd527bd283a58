package io.sair.sim;

import io.sair.core.policy.Policy;
import io.sair.core.policy.PolicyInput;
import io.sair.core.policy.Proposal;
import io.sair.sim.loop.ClosedLoop;
import io.sair.sim.loop.PolicyAutoscaler;
import io.sair.sim.loop.RunResult;
import io.sair.sim.loop.SairAutoscaler;

public class SmokeMain {
    public static void main(String[] a) {
        long n = Long.parseLong(a.length > 0 ? a[0] : "1000000");
        for (String app : AppProfiles.NAMES) {
            for (String pat : new String[] {"poisson", "ramp", "burst"}) {
                AppProfile p = AppProfiles.get(app);
                Policy none = new Policy() {
                    public Proposal propose(PolicyInput in) { return Proposal.none("static"); }
                    public String name() { return "static"; }
                };
                RunResult r = ClosedLoop.defaults().run(app, pat, 1, Scenarios.plant(p, pat, n, 1, null, 1),
                        PolicyAutoscaler.baseline("static", none, p.spec()));
                print(r);
                r = ClosedLoop.defaults().run(app, pat, 1, Scenarios.plant(p, pat, n, 1, null, 1), SairAutoscaler.defaults(p.spec()));
                print(r);
            }
        }
    }
    static void print(RunResult r) {
        System.out.printf("%-8s %-8s %-7s p50 %8.1f p99 %9.1f sla%% %6.2f tput %7.2f bill %.4f eff %.4f dec %4d reps %5.2f fail %d oom %d sim %.0fs wall %.2fs (%.2f M req/s)%n",
                r.app(), r.pattern(), r.autoscaler(), r.p50Ms(), r.p99Ms(), r.slaViolationPct(), r.throughputRps(), r.billableCostPer1k(),
                r.effectiveCostPer1k(), r.decisions(), r.meanReplicas(), r.failed(), r.oomKills(), r.simSeconds(), r.wallSeconds(), r.requests() / r.wallSeconds() / 1e6);
    }
}
