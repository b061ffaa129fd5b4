# The fraud-scorer image: the same ./fraud commands the README and the tests use, from the lean production jar
# (app-lean: no embedded development broker, so no `demo` or `broker`; it runs against a real cluster).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY common/pom.xml common/
COPY trainer/pom.xml trainer/
COPY devkafka/pom.xml devkafka/
COPY scorer/pom.xml scorer/
COPY app/pom.xml app/
COPY app-lean/pom.xml app-lean/
COPY bench/pom.xml bench/
RUN mvn -B -q -DskipTests dependency:go-offline || true
COPY . .
RUN mvn -B -q -DskipTests package -pl app-lean -am

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/app-lean/target/fraud-lean.jar /app/fraud.jar
RUN printf '#!/bin/sh\nexec java --add-modules jdk.incubator.vector ${FRAUD_JAVA_OPTS:-} -jar /app/fraud.jar "$@"\n' > /usr/local/bin/fraud && chmod +x /usr/local/bin/fraud
ENTRYPOINT ["fraud"]
CMD ["--help"]
