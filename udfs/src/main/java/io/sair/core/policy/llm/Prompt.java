package io.sair.core.policy.llm;

/**
 * A prompt ready for a chat model: the system text and the user text.
 *
 * @param episodesShown how many retrieved episodes the user text holds
 * @param episodesDropped how many were left out to stay within the token budget (the lowest-reward ones)
 */
public record Prompt(String system, String user, int episodesShown, int episodesDropped) {

    /** Rough token count (4 characters per token), enough to keep a prompt within budget. */
    public int estimateTokens() {
        return estimateTokens(system.length() + user.length());
    }

    static int estimateTokens(int chars) {
        return (chars + 3) / 4;
    }
}
