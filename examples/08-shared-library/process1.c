#include <stdio.h>
void local_func1(){
        printf("local_func1\n");
}
void static local_func2(){
        printf("local_func2\n");
}
void func1(){
        printf("func1\n");
        local_func1();
        local_func2();
}
