package org.fraudscorer.app;

public final class FraudCli {
    public static void main(String[] args) {
        System.out.println("placeholder");
    }
}
