package io.bastion.config;

/**
 * A cohort of similar devices ({@code detection.cohorts[*]}): the first cohort whose every given
 * condition holds takes the client. Null conditions are not checked.
 *
 * @param clientId a glob ({@code *}, {@code ?}) on the client id
 */
public record CohortConfig(
    String name, String listener, String clientId, String usernamePrefix, String certificateOu) {}
